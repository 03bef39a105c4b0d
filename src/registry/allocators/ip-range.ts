/**
 * An IPv4 service CIDR as kube-apiserver v1.33's IP allocator
 * (`pkg/registry/core/service/ipallocator` ipallocator.go) divides it: the
 * network and broadcast addresses are never handed out; the first
 * `offset` addresses after the network address form the static band
 * (KEP-3070), which dynamic allocation uses only when the rest is full, so
 * that well-known addresses (10.96.0.1 for `kubernetes`, 10.96.0.10 for
 * `kube-dns`) stay free for the clients that request them.
 *
 * Addresses are unsigned 32-bit numbers. The range holds no state: which
 * addresses are taken is the caller's set.
 */
import { parseIPBytes } from '../../api/validation/validation.ts';

/** A sloppily parsed IPv4 address (leading zeros allowed, as ParseIPSloppy) as a number; undefined otherwise. */
export function ipv4ToNumber(value: string): number | undefined {
  const b = parseIPBytes(value);
  if (!b || b.length !== 4) return undefined;
  return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
}

export function numberToIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** `calculateRangeOffset`: min(max(16, size/16), 256), 0 for ranges of 16 or fewer addresses. */
function rangeOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

export class IPv4Range {
  /** The CIDR as configured, e.g. `10.96.0.0/12`: what error messages name. */
  readonly cidr: string;
  /** The network address. */
  readonly network: number;
  /** The first address that may be allocated (network + 1). */
  readonly first: number;
  /** The last address that may be allocated (broadcast − 1). */
  readonly last: number;
  /** The size of the static band at the bottom of the range. */
  readonly offset: number;

  constructor(cidr: string) {
    const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr);
    const base = m ? ipv4ToNumber(m[1]) : undefined;
    const bits = m ? Number(m[2]) : NaN;
    if (base === undefined || !(bits >= 1 && bits <= 30)) throw new Error(`invalid IPv4 service CIDR ${cidr}`);
    const size = 2 ** (32 - bits);
    this.network = base - (base % size);
    this.cidr = `${numberToIPv4(this.network)}/${bits}`;
    this.first = this.network + 1;
    this.last = this.network + size - 2;
    this.offset = rangeOffset(size);
  }

  /** Whether `ip` may be allocated: in the prefix and neither its network nor its broadcast address. */
  contains(ip: number): boolean {
    return ip >= this.first && ip <= this.last;
  }

  /**
   * A free address chosen as `allocateNextService` does: from a random start
   * in the upper band, scanning up and wrapping; then the same in the static
   * band. `random(n)` returns an integer in [0, n). Undefined when full.
   */
  next(used: ReadonlySet<number>, random: (n: number) => number): number | undefined {
    const upperFirst = this.first + this.offset;
    const upperSize = this.last - upperFirst + 1;
    if (upperSize <= 0) return undefined;
    const hit = scan(upperFirst, upperSize, random(upperSize), used);
    if (hit !== undefined || this.offset === 0) return hit;
    return scan(this.first, this.offset, random(this.offset), used);
  }
}

/** The first of `size` addresses from `base`, starting at `start` and wrapping, that is not used. */
function scan(base: number, size: number, start: number, used: ReadonlySet<number>): number | undefined {
  for (let i = 0; i < size; i++) {
    const ip = base + ((start + i) % size);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}
