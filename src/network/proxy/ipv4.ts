/**
 * IPv4 text checks. Every address and CIDR that reaches iptables-restore input
 * passes through here first: one malformed value would fail the whole
 * transaction, and so every Service on the node, not just its own.
 *
 * Leading zeros are refused (Go's net.ParseIP refuses them since 1.17, and
 * inet_aton, which iptables uses, would read "010" as octal 8).
 */

const OCTET = /^(0|[1-9]\d{0,2})$/;

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p) && Number(p) <= 255);
}

/** "a.b.c.d/n" with 0 <= n <= 32. */
export function isIPv4Cidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const bits = s.slice(slash + 1);
  return isIPv4(s.slice(0, slash)) && /^(0|[1-9]\d?)$/.test(bits) && Number(bits) <= 32;
}

/** A TCP/UDP/SCTP port number. */
export function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}
