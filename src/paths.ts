/**
 * Paths every berth process agrees on: the default data directory, the pid
 * file a serving node keeps in it, and the project root (its images/ holds
 * the seed archives). Kept apart from main.ts so that commands which only
 * look at a node from outside (`berth kubeconfig`, `down`, `play`, `doctor`)
 * do not load the whole node to learn where it lives.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Holds the pid of the `berth serve` running on a data directory. */
export const NODE_PID_FILE = 'berth.pid';

/** `$BERTH_DATA_DIR`, else `/var/lib/berth` for root, else `$XDG_DATA_HOME/berth` or `~/.local/share/berth`. */
export function defaultDataDir(): string {
  if (process.env.BERTH_DATA_DIR) return resolve(process.env.BERTH_DATA_DIR);
  if (process.getuid?.() === 0) return '/var/lib/berth';
  const base = process.env.XDG_DATA_HOME || join(process.env.HOME ?? '.', '.local', 'share');
  return join(base, 'berth');
}
