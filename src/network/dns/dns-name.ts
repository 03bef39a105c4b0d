/**
 * Domain names as the resolver handles them: absolute (trailing dot), with
 * the case of the question kept for owner names and lower case for matching.
 * dns-packet decodes names without the trailing dot and `.` for the root.
 */

/** `name` with exactly one trailing dot; the root is `.`. */
export function fqdn(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name : `${name}.`;
}

/** `a.b.` joined under `zone` (`dnsutil.Join`): `join('ns.dns', 'cluster.local.')` → `ns.dns.cluster.local.`. */
export function join(...parts: string[]): string {
  return fqdn(parts.map((p) => p.replace(/\.$/, '')).filter((p) => p !== '').join('.'));
}

/** Whether `name` is `zone` or below it; both absolute, compared without case (`dns.IsSubDomain`). */
export function isSubdomain(zone: string, name: string): boolean {
  const z = zone.toLowerCase();
  const n = name.toLowerCase();
  if (z === '.') return true;
  return n === z || n.endsWith(`.${z}`);
}

/**
 * The longest of `zones` that `name` falls in, spelt as the question spells
 * it (handler.go: "maintain case of original query"), or undefined.
 */
export function matchZone(zones: readonly string[], name: string): string | undefined {
  let best: string | undefined;
  for (const zone of zones) {
    if (isSubdomain(zone, name) && (best === undefined || zone.length > best.length)) best = zone;
  }
  return best === undefined ? undefined : name.slice(name.length - best.length);
}

/** The labels of `name` left of `zone` (`dnsutil.TrimZone` then `dns.SplitDomainName`); `[]` at the apex. */
export function labelsBelow(name: string, zone: string): string[] {
  const base = name.slice(0, name.length - zone.length).replace(/\.$/, '');
  return base === '' ? [] : base.split('.');
}
