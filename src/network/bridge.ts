/**
 * The pods' bridge, made before the first pod: the CNI bridge plugin makes
 * it lazily with the first sandbox, but cluster DNS and the API server's
 * second listener bind the bridge's address at start. The plugin adopts a
 * bridge that exists with its gateway address, so nothing changes for pods.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const IFF_UP = 0x1;

/** A network link's flags (IFF_*) as sysfs shows them, or undefined when there is no such link. */
export function linkFlags(name: string): number | undefined {
  try {
    return Number.parseInt(readFileSync(`/sys/class/net/${name}/flags`, 'utf8'), 16);
  } catch {
    return undefined;
  }
}

/**
 * Ensures bridge `name` exists, is up, and has `address` (e.g. 10.244.0.1/16).
 * Another node doing the same at once is fine. On a start that finds the
 * bridge ready this is one `ip` run (the address check): sysfs answers
 * "exists" and "up" without the two more a start used to spend (~10 ms each).
 */
export function ensureBridge(name: string, address: string): void {
  if (linkFlags(name) === undefined) {
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
  if (((linkFlags(name) ?? 0) & IFF_UP) === 0) ip(['link', 'set', 'dev', name, 'up']);
}
