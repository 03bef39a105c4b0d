/**
 * Where berth's containerd listens. `<dataDir>/containerd/containerd.sock`
 * when it fits a unix socket address (containerd checks ≤ 104 bytes), else
 * a short path under /run/berth derived from a hash of the data directory, so
 * each data directory keeps one stable socket.
 *
 * containerd also listens on `<socket>.ttrpc`, so that longer name is the one
 * that must fit.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

/** containerd refuses socket paths longer than 104 bytes (the BSD sun_path limit), below Linux's 107. */
export const MAX_UNIX_PATH_BYTES = 104;
export const SHORT_SOCKET_DIR = '/run/berth';
const TTRPC_SUFFIX = '.ttrpc';

export function containerdSocketPath(dataDir: string, shortDir: string = SHORT_SOCKET_DIR): string {
  const abs = resolve(dataDir);
  const natural = join(abs, 'containerd', 'containerd.sock');
  if (Buffer.byteLength(natural + TTRPC_SUFFIX) <= MAX_UNIX_PATH_BYTES) return natural;
  const hash = createHash('sha256').update(abs).digest('hex').slice(0, 16);
  return join(shortDir, `containerd-${hash}.sock`);
}
