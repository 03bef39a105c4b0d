/**
 * The host's resolvers, the forwarder's production upstreams (`forward .
 * /etc/resolv.conf`): the `nameserver` lines of resolv.conf, port 53. berth
 * forwards from the host's own network namespace, so loopback resolvers
 * (systemd-resolved's 127.0.0.53) work as they are; only the server's own
 * addresses are left out, since forwarding to itself would loop (CoreDNS's
 * `loop` plugin stops the server in that case).
 *
 * Tests call `parseResolvConf` with text; only `berth serve` reads the file.
 */
import { readFile } from 'node:fs/promises';
import { canonicalIP } from './ip.ts';
import type { Upstream } from './upstream-exchange.ts';

export function parseResolvConf(text: string, exclude: readonly string[] = []): Upstream[] {
  const excluded = new Set(exclude.map((ip) => canonicalIP(ip) ?? ip));
  const upstreams: Upstream[] = [];
  for (const line of text.split('\n')) {
    const [keyword, value] = line.trim().split(/\s+/);
    if (keyword !== 'nameserver' || value === undefined) continue;
    const ip = canonicalIP(value);
    if (ip === undefined || excluded.has(ip)) continue;
    if (!upstreams.some((u) => u.host === ip)) upstreams.push({ host: ip, port: 53 });
  }
  return upstreams;
}

/** The upstreams named by the host's resolv.conf (`/etc/resolv.conf` unless told). */
export async function readHostUpstreams(options: { path?: string; exclude?: readonly string[] } = {}): Promise<Upstream[]> {
  return parseResolvConf(await readFile(options.path ?? '/etc/resolv.conf', 'utf8'), options.exclude);
}
