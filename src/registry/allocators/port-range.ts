/**
 * The NodePort range as kube-apiserver v1.33's port allocator
 * (`pkg/registry/core/service/portallocator`, KEP-3668) divides it: the
 * lowest `offset` ports form a static band that dynamic allocation uses
 * only when the rest is full, so requested ports rarely collide with
 * assigned ones. The range holds no state: which ports are taken is the
 * caller's set.
 */

/** `calculateRangeOffset`: min(max(16, size/32), 128), 0 for ranges of 16 or fewer ports. */
function rangeOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

export class PortRange {
  readonly base: number;
  readonly size: number;
  readonly offset: number;

  /** `spec` is `first-last` (`30000-32767`), as `--service-node-port-range` takes it. */
  constructor(spec: string) {
    const m = /^([0-9]+)-([0-9]+)$/.exec(spec);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2]) : NaN;
    if (!(lo >= 1 && hi <= 65535 && lo <= hi)) throw new Error(`invalid port range ${spec}`);
    this.base = lo;
    this.size = hi - lo + 1;
    this.offset = rangeOffset(this.size);
  }

  /** `net.PortRange.String()`: what error messages name. */
  toString(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  contains(port: number): boolean {
    return port >= this.base && port < this.base + this.size;
  }

  /**
   * A free port chosen as `randomScanStrategyWithOffset` does: from a random
   * start in the upper band, wrapping; then the same in the static band.
   * `random(n)` returns an integer in [0, n). Undefined when full.
   */
  next(used: ReadonlySet<number>, random: (n: number) => number): number | undefined {
    const upper = this.size - this.offset;
    const start = random(upper);
    for (let i = 0; i < upper; i++) {
      const port = this.base + this.offset + ((start + i) % upper);
      if (!used.has(port)) return port;
    }
    if (this.offset === 0) return undefined;
    const lowStart = random(this.offset);
    for (let i = 0; i < this.offset; i++) {
      const port = this.base + ((lowStart + i) % this.offset);
      if (!used.has(port)) return port;
    }
    return undefined;
  }
}
