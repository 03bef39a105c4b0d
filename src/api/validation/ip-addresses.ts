/**
 * IP addresses, CIDRs and domain names in fields of Services, Endpoints and
 * EndpointSlices: apimachinery `pkg/util/validation` (`IsValidIP`,
 * `IsValidIPv4Address`, `IsValidIPv6Address`, `IsValidCIDR`,
 * `IsFullyQualifiedDomainName`, v1.33's field-path forms) and core's
 * `ValidateNonSpecialIP`. Parsing is `netutils.ParseIPSloppy`'s: v1.33 runs
 * with StrictIPCIDRValidation off, so leading zeros are accepted.
 */
import type { FieldError } from '../field-error.ts';
import { invalid, required } from './field-errors.ts';
import { isDNS1123Label, isDNS1123Subdomain, isValidIPMessages, parsesAsIP } from './string-formats.ts';

/** The bytes of an address ParseIPSloppy accepts: 4 for IPv4 (also IPv4-mapped IPv6), 16 for IPv6. */
export function parseIPBytes(value: string): number[] | undefined {
  if (!parsesAsIP(value)) return undefined;
  if (!value.includes(':')) return value.split('.').map(Number);
  const mapped = /^::ffff:([0-9]{1,3}(?:\.[0-9]{1,3}){3})$/i.exec(value);
  if (mapped) return mapped[1].split('.').map(Number);
  // The URL parser canonicalizes the address; expand it into 8 groups.
  const host = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  const [head, tail] = host.includes('::') ? host.split('::') : [host, undefined];
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const bytes: number[] = [];
  for (const g of all) {
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  // Go's To4 treats ::ffff:a.b.c.d as IPv4 whichever way it was written.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  return bytes;
}

/** `netutils.IsIPv6String`: parses, and is not IPv4 (or IPv4-mapped). */
export function isIPv6String(value: string): boolean {
  return parseIPBytes(value)?.length === 16;
}

/** `netutils.IsIPv4String`. */
export function isIPv4String(value: string): boolean {
  return parseIPBytes(value)?.length === 4;
}

/** `IsValidIP(fldPath, value)`. */
export function validateIP(value: string, path: string): FieldError[] {
  return isValidIPMessages(value).map((msg) => invalid(path, value, msg));
}

/** `IsValidIPv4Address(fldPath, value)`. */
export function validateIPv4Address(value: string, path: string): FieldError[] {
  return isIPv4String(value) ? [] : [invalid(path, value, 'must be a valid IPv4 address')];
}

/** `IsValidIPv6Address(fldPath, value)`. */
export function validateIPv6Address(value: string, path: string): FieldError[] {
  return isIPv6String(value) ? [] : [invalid(path, value, 'must be a valid IPv6 address')];
}

/** `IsValidCIDR(fldPath, value)`, sloppy as `netutils.ParseCIDRSloppy`. */
export function validateCIDR(value: string, path: string): FieldError[] {
  const slash = value.indexOf('/');
  const ip = slash < 0 ? '' : value.slice(0, slash);
  const bits = slash < 0 ? '' : value.slice(slash + 1);
  const bytes = parseIPBytes(ip);
  const max = ip.includes(':') ? 128 : 32;
  const ok = bytes !== undefined && /^[0-9]{1,3}$/.test(bits) && Number(bits) <= max;
  return ok ? [] : [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/**
 * `ValidateNonSpecialIP`: Endpoints addresses, EndpointSlice addresses and
 * external IPs may not be unspecified, loopback or link-local.
 */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const b = parseIPBytes(value);
  if (!b) return [invalid(path, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = b.length === 4;
  if (b.every((x) => x === 0)) errs.push(invalid(path, value, `may not be unspecified (${value})`));
  const loopback = v4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  if (loopback) errs.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  const linkLocalUnicast = v4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1] & 0xc0) === 0x80;
  if (linkLocalUnicast) errs.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  const linkLocalMulticast = v4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1] & 0x0f) === 0x02;
  if (linkLocalMulticast) errs.push(invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

/** `IsFullyQualifiedDomainName(fldPath, name)`: the first problem only, as Go returns early. */
export function validateFullyQualifiedDomainName(value: string, path: string): FieldError[] {
  if (value.length === 0) return [required(path)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const sub = isDNS1123Subdomain(name);
  if (sub.length > 0) return [invalid(path, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const msgs = isDNS1123Label(label);
    if (msgs.length > 0) return [invalid(path, label, msgs.join(','))];
  }
  return [];
}

/** `ValidateDNS1123Label(value, fldPath)`. */
export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalid(path, value, msg));
}

/** `ValidateDNS1123Subdomain(value, fldPath)`. */
export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => invalid(path, value, msg));
}
