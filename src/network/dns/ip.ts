/**
 * IP address text as CoreDNS compares it: Go's `net.ParseIP(s).String()`.
 * IPv4 is dotted decimal without leading zeros; IPv6 is lower case with the
 * longest run of zero groups compressed; an IPv4-mapped IPv6 address prints
 * as its IPv4 form, as Go prints it.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IPFamily = 4 | 6;

/** The family `text` parses as, as Go's `net.ParseIP` would accept it; undefined when it is not an address. */
export function ipFamily(text: string): IPFamily | undefined {
  if (isIPv4(text)) return 4;
  if (isIPv6(text) && !text.includes('%')) return isMappedIPv4(canonicalIPv6(text)) ? 4 : 6;
  return undefined;
}

/** `text` in canonical form, or undefined when it is not an address. */
export function canonicalIP(text: string): string | undefined {
  if (isIPv4(text)) return text;
  if (!isIPv6(text) || text.includes('%')) return undefined;
  const v6 = canonicalIPv6(text);
  return isMappedIPv4(v6) ? mappedToIPv4(v6) : v6;
}

// The WHATWG URL serializer compresses IPv6 as RFC 5952 (and Go) do: lower
// case, the first longest run of two or more zero groups becomes `::`.
function canonicalIPv6(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

function isMappedIPv4(v6: string): boolean {
  return mapped.test(v6);
}

function mappedToIPv4(v6: string): string {
  const [, hi, lo] = mapped.exec(v6)!;
  const a = parseInt(hi!, 16);
  const b = parseInt(lo!, 16);
  return `${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
}

/**
 * The address a reverse name stands for (`4.3.2.1.in-addr.arpa.` →
 * `1.2.3.4`; 32 nibbles under `ip6.arpa.`), or undefined when the name is
 * not a whole address (coredns plugin/pkg/dnsutil/reverse.go
 * `ExtractAddressFromReverse`). `name` is lower case and fully qualified.
 */
export function addressFromReverse(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa.')) {
    const labels = name.slice(0, -'.in-addr.arpa.'.length).split('.').reverse();
    const text = labels.join('.');
    return isIPv4(text) ? text : undefined;
  }
  if (name.endsWith('.ip6.arpa.')) {
    const nibbles = name.slice(0, -'.ip6.arpa.'.length).split('.').reverse();
    if (nibbles.length !== 32 || !nibbles.every((n) => /^[0-9a-f]$/.test(n))) return undefined;
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(nibbles.slice(i, i + 4).join(''));
    return canonicalIP(groups.join(':'));
  }
  return undefined;
}
