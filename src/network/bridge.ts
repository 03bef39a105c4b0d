/**
 * The pods' bridge, made before the first pod: the CNI bridge plugin makes
 * it lazily with the first sandbox, but cluster DNS and the API server's
 * second listener bind the bridge's address at start. The plugin adopts a
 * bridge that exists with its gateway address, so nothing changes for pods.
 */
import { execFileSync } from 'node:child_process';

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Ensures bridge `name` exists, is up, and has `address` (e.g. 10.244.0.1/16). Another node doing the same at once is fine. */
export function ensureBridge(name: string, address: string): void {
  let exists = true;
  try {
    ip(['link', 'show', 'dev', name]);
  } catch {
    exists = false;
  }
  if (!exists) {
    try {
      ip(['link', 'add', 'name', name, 'type', 'bridge']);
    } catch (err) {
      if (!String((err as { stderr?: string }).stderr ?? err).includes('File exists')) throw err;
    }
  }
  const addresses = ip(['-o', '-4', 'addr', 'show', 'dev', name]);
  if (!addresses.includes(` ${address} `)) {
    try {
      ip(['addr', 'add', address, 'dev', name]);
    } catch (err) {
      if (!String((err as { stderr?: string }).stderr ?? err).includes('File exists')) throw err;
    }
  }
  ip(['link', 'set', 'dev', name, 'up']);
}
