/**
 * Resource quantities as apimachinery's `resource.Quantity` parses and
 * re-serializes them. The API server stores quantities in canonical form
 * (`0.5` → `500m`, `1024Mi` → `1Gi`, `2000` → `2k`), so `kubectl get -o yaml`
 * shows the canonical text; pod resources are also rounded up to milli-units
 * (`SetDefaults_ResourceList`).
 *
 * A quantity is held exactly as `value × 10^scale` with a BigInt value, plus
 * the format its suffix implies (Go's `DecimalSI`, `BinarySI`,
 * `DecimalExponent`).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  value: bigint;
  scale: number;
  format: QuantityFormat;
}

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binaryByExponent = new Map(Object.entries(binarySuffixes).map(([s, e]) => [e, s]));

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;

/** Rounds `value × 10^scale` up (away from zero) to a multiple of 10^target. */
function roundUpToScale(q: Quantity, target: number): Quantity {
  if (q.scale >= target) return q;
  const divisor = 10n ** BigInt(target - q.scale);
  let v = q.value / divisor;
  if (v * divisor !== q.value) v += q.value < 0n ? -1n : 1n;
  return { value: v, scale: target, format: q.format };
}

/** `resource.ParseQuantity`; `undefined` where Go returns an error. */
export function parseQuantity(input: string | number): Quantity | undefined {
  const text = typeof input === 'number' ? numberText(input) : input;
  if (text === undefined || text === '') return undefined;
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction = '', suffix] = m;
  if (whole === '' && fraction === '') return undefined;
  let format: QuantityFormat;
  let exp10 = 0;
  let exp2 = 0;
  if (Object.hasOwn(decimalSuffixes, suffix)) {
    format = 'DecimalSI';
    exp10 = decimalSuffixes[suffix];
  } else if (Object.hasOwn(binarySuffixes, suffix)) {
    format = 'BinarySI';
    exp2 = binarySuffixes[suffix];
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = 'DecimalExponent';
    exp10 = Number(suffix.slice(1));
  } else {
    return undefined;
  }
  let value = BigInt((whole || '0') + fraction);
  if (sign === '-') value = -value;
  let q: Quantity = { value: value * 2n ** BigInt(exp2), scale: exp10 - fraction.length, format };
  // Go keeps at most nano precision, rounding up.
  q = roundUpToScale(q, -9);
  return q;
}

function numberText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  // JSON numbers arrive as float64; Go formats them without exponent when it can.
  const s = String(n);
  return s.includes('e') ? n.toExponential().replace('e+', 'e') : s;
}

function removeFactors(value: bigint, base: bigint): [bigint, number] {
  let times = 0;
  if (value === 0n) return [0n, 0];
  while (value % base === 0n) {
    value /= base;
    times++;
  }
  return [value, times];
}

/** The integer value of `q`, or `undefined` when it has a fractional part. */
function integerValue(q: Quantity): bigint | undefined {
  if (q.scale >= 0) return q.value * 10n ** BigInt(q.scale);
  const divisor = 10n ** BigInt(-q.scale);
  return q.value % divisor === 0n ? q.value / divisor : undefined;
}

const int = (n: bigint): Quantity => ({ value: n, scale: 0, format: 'DecimalSI' });

/** `Quantity.String()`: the canonical text (`CanonicalizeBytes`). */
export function formatQuantity(q: Quantity): string {
  if (q.value === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // Values within ±1024 and fractional values read as decimal (nothing is lost).
    const integer = integerValue(q);
    if ((compareQuantities(q, int(-1024n)) > 0 && compareQuantities(q, int(1024n)) < 0) || integer === undefined) {
      format = 'DecimalSI';
    } else {
      const [mantissa, times] = removeFactors(integer, 1024n);
      let m = mantissa;
      let exp = times * 10;
      // Suffixes stop at Ei.
      for (; exp > 60; exp -= 10) m *= 1024n;
      return `${m}${binaryByExponent.get(exp)}`;
    }
  }
  let [mantissa, times] = removeFactors(q.value, 10n);
  let exponent = q.scale + times;
  // The exponent must be a multiple of 3.
  const rem = ((exponent % 3) + 3) % 3;
  if (rem !== 0) {
    mantissa *= 10n ** BigInt(rem);
    exponent -= rem;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Suffixes stop at E; parsing already rounded to nano (n).
  for (; exponent > 18; exponent -= 3) mantissa *= 1000n;
  return `${mantissa}${decimalByExponent.get(exponent)}`;
}

/** Compares two quantities by value: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const scale = Math.min(a.scale, b.scale);
  const av = a.value * 10n ** BigInt(a.scale - scale);
  const bv = b.value * 10n ** BigInt(b.scale - scale);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

/** Sum of two quantities; the format of `a` is kept. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const scale = Math.min(a.scale, b.scale);
  return {
    value: a.value * 10n ** BigInt(a.scale - scale) + b.value * 10n ** BigInt(b.scale - scale),
    scale,
    format: a.format,
  };
}

/**
 * The stored text of a resource-list quantity: parsed, rounded up to
 * milli-units (`SetDefaults_ResourceList`), canonical. Unparsable input is
 * returned unchanged for validation to reject.
 */
export function canonicalResourceQuantity(input: unknown): unknown {
  if (typeof input !== 'string' && typeof input !== 'number') return input;
  const q = parseQuantity(input);
  if (!q) return input;
  return formatQuantity(roundUpToScale(q, -3));
}
