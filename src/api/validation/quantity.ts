/**
 * Kubernetes resource quantities (apimachinery `resource.Quantity`): parsing,
 * comparison and the canonical string form that error messages print
 * (`must be less than or equal to cpu limit of 1`).
 *
 * A quantity is held exactly as `mantissa * 10^exponent` (bigint mantissa), so
 * `1.5Gi`, `100m` and `2e3` compare and print without float error. Parsing
 * follows `ParseQuantity`: the fast path keeps the caller's text as the string
 * form when it is already canonical (so `01` stays `01`, like Kubernetes), the
 * slow path rounds up to nano precision and caps binary quantities at 2^63-1.
 */

/** How a quantity prints: `1Gi` (BinarySI), `1G` (DecimalSI) or `1e9` (DecimalExponent). */
export const QuantityFormat = {
  DecimalExponent: 'DecimalExponent',
  BinarySI: 'BinarySI',
  DecimalSI: 'DecimalSI',
} as const;
export type QuantityFormat = (typeof QuantityFormat)[keyof typeof QuantityFormat];

const splitREString = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** apimachinery's parse errors, word for word (they reach users in 400 responses). */
export const QuantityErrorMessage = {
  FormatWrong: `quantities must match the regular expression '${splitREString}'`,
  Numeric: 'unable to parse numeric part of quantity',
  Suffix: "unable to parse quantity's suffix",
} as const;

export class QuantityParseError extends Error {
  readonly code: 'QuantityFormatWrong' | 'QuantityNumeric' | 'QuantitySuffix';
  constructor(code: QuantityParseError['code'], message: string) {
    super(message);
    this.name = 'QuantityParseError';
    this.code = code;
  }
}

const NANO = -9;
const MAX_INT64 = (1n << 63n) - 1n;
const MAX_INT64_FACTORS = 18;

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

export class Quantity {
  /** value = #mantissa * 10^#exponent */
  #mantissa: bigint;
  #exponent: number;
  readonly format: QuantityFormat;
  /** The caller's text when ParseQuantity kept it as the canonical form. */
  #cached: string | undefined;

  constructor(mantissa: bigint, exponent: number, format: QuantityFormat, cached?: string) {
    this.#mantissa = mantissa;
    this.#exponent = exponent;
    this.format = format;
    this.#cached = cached;
  }

  sign(): -1 | 0 | 1 {
    return this.#mantissa === 0n ? 0 : this.#mantissa < 0n ? -1 : 1;
  }

  isZero(): boolean {
    return this.#mantissa === 0n;
  }

  /** -1, 0 or 1 like `Quantity.Cmp`. */
  cmp(other: Quantity): -1 | 0 | 1 {
    const e = Math.min(this.#exponent, other.#exponent);
    const a = this.#mantissa * 10n ** BigInt(this.#exponent - e);
    const b = other.#mantissa * 10n ** BigInt(other.#exponent - e);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  /** `Quantity.ScaledValue(scale)`: the value in units of 10^scale, rounded up (away from zero). */
  scaledValue(scale: number): bigint {
    const shift = this.#exponent - scale;
    if (shift >= 0) return this.#mantissa * 10n ** BigInt(shift);
    const div = 10n ** BigInt(-shift);
    const q = this.#mantissa / div;
    const r = this.#mantissa % div;
    if (r === 0n) return q;
    return this.#mantissa > 0n ? q + 1n : q - 1n;
  }

  /** `Quantity.Value()`: whole units rounded up; memory quantities become bytes. */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** `Quantity.MilliValue()`: thousandths rounded up; cpu quantities become millicores. */
  milliValue(): bigint {
    return this.scaledValue(-3);
  }

  /** `Quantity.Add`: the sum, in this quantity's format. */
  add(other: Quantity): Quantity {
    const e = Math.min(this.#exponent, other.#exponent);
    const sum = this.#mantissa * 10n ** BigInt(this.#exponent - e) + other.#mantissa * 10n ** BigInt(other.#exponent - e);
    return new Quantity(sum, e, this.format);
  }

  /**
   * `Quantity.RoundUp(scale)`: rounded away from zero to a multiple of
   * 10^scale. A quantity already that precise keeps its parsed text, as Go
   * avoids clearing the cached string.
   */
  roundUp(scale: number): Quantity {
    if (this.#exponent >= scale) return this;
    return new Quantity(this.scaledValue(scale), scale, this.format);
  }

  /** True when the value is a whole number (`AsScale(0)` exact). */
  isInteger(): boolean {
    return this.#exponent >= 0 || this.#mantissa % 10n ** BigInt(-this.#exponent) === 0n;
  }

  /** The canonical form, `Quantity.String()`. */
  toString(): string {
    if (this.#cached !== undefined) return this.#cached;
    if (this.#mantissa === 0n) return '0';
    let format: QuantityFormat = this.format;
    if (format === QuantityFormat.BinarySI) {
      const small = this.cmp(new Quantity(-1024n, 0, format)) > 0 && this.cmp(new Quantity(1024n, 0, format)) < 0;
      // Below 1Ki, or not a whole number: print decimal rather than lose precision.
      if (small || !this.isInteger()) format = QuantityFormat.DecimalSI;
    }
    if (format === QuantityFormat.BinarySI) {
      let amount = this.scaledValue(0);
      let exp = 0;
      while (amount !== 0n && amount % 1024n === 0n) {
        amount /= 1024n;
        exp++;
      }
      const suffix = Object.keys(binarySuffixes).find((k) => binarySuffixes[k] === exp * 10) ?? '';
      return `${amount}${suffix}`;
    }
    let amount = this.#mantissa;
    let exp = this.#exponent;
    while (amount % 10n === 0n) {
      amount /= 10n;
      exp++;
    }
    while (((exp % 3) + 3) % 3 !== 0) {
      amount *= 10n;
      exp--;
    }
    if (format === QuantityFormat.DecimalExponent) return exp === 0 ? `${amount}` : `${amount}e${exp}`;
    // An exponent outside the SI table prints no suffix at all, as in apimachinery.
    const suffix = Object.keys(decimalSuffixes).find((k) => decimalSuffixes[k] === exp) ?? '';
    return `${amount}${suffix}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

interface ParsedParts {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Port of `parseQuantityString`, including its leniencies (`1.G`, `-`). */
function splitQuantity(str: string): ParsedParts {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] === '0') pos++;
    else break;
  }
  let num = '';
  let i = pos;
  for (; ; i++) {
    if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
    if (!isDigit(str[i])) break;
  }
  num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    let j = pos;
    for (; ; j++) {
      if (j >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
      if (!isDigit(str[j])) break;
    }
    denom = str.slice(pos, j);
    pos = j;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  for (let k = pos; ; k++) {
    if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!'eEinumkKMGTP'.includes(str[k])) {
      pos = k;
      break;
    }
  }
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  for (let k = pos; ; k++) {
    if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!isDigit(str[k])) break;
  }
  throw new QuantityParseError('QuantityFormatWrong', QuantityErrorMessage.FormatWrong);
}

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  if (Object.hasOwn(decimalSuffixes, suffix)) return { base: 10, exponent: decimalSuffixes[suffix], format: QuantityFormat.DecimalSI };
  if (Object.hasOwn(binarySuffixes, suffix)) return { base: 2, exponent: binarySuffixes[suffix], format: QuantityFormat.BinarySI };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const n = BigInt(rest);
    if (n > MAX_INT64 || n < -MAX_INT64 - 1n) return undefined;
    // Go truncates the int64 exponent to int32.
    return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: QuantityFormat.DecimalExponent };
  }
  return undefined;
}

/** Port of `resource.ParseQuantity`. Throws QuantityParseError with apimachinery's message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError('QuantityFormatWrong', QuantityErrorMessage.FormatWrong);
  if (str === '0') return new Quantity(0n, 0, QuantityFormat.DecimalSI, str);
  const parts = splitQuantity(str);
  const interpreted = interpretSuffix(parts.suffix);
  if (!interpreted) throw new QuantityParseError('QuantitySuffix', QuantityErrorMessage.Suffix);
  const { base, exponent } = interpreted;
  let format = interpreted.format;
  const { num, denom, positive } = parts;

  let precision: number;
  let scale: number;
  let mantissa = 1n;
  if (format === QuantityFormat.BinarySI) {
    scale = 0;
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  }

  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= NANO) {
      const shifted = num + denom;
      const value = BigInt(shifted);
      if (value > MAX_INT64) throw new QuantityParseError('QuantityNumeric', QuantityErrorMessage.Numeric);
      const product = value * mantissa;
      if (product <= MAX_INT64) {
        const result = positive ? product : -product;
        let reuse = false;
        if (format === QuantityFormat.BinarySI) reuse = exponent % 10 === 0 && (value & 7n) !== 0n;
        else reuse = scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return new Quantity(result, scale, format, reuse ? str : undefined);
      }
    }
  }

  // Slow path: exact decimal arithmetic on the numeric text.
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(parts.value)) {
    throw new QuantityParseError('QuantityNumeric', QuantityErrorMessage.Numeric);
  }
  const unsigned = parts.value.replace(/^[+-]/, '');
  const [intPart, fracPart = ''] = unsigned.split('.');
  let m = BigInt((intPart || '0') + fracPart);
  let e = -fracPart.length;
  if (base === 10) e += exponent;
  else m *= 1n << BigInt(exponent);
  // Round non-zero values up to nano precision: asking for some resource gets some.
  if (m !== 0n && e < NANO) {
    const div = 10n ** BigInt(NANO - e);
    const q = m / div;
    m = m % div === 0n ? q : q + 1n;
    e = NANO;
  }
  let q = new Quantity(m, e, format);
  if (format === QuantityFormat.BinarySI && q.cmp(new Quantity(MAX_INT64, 0, format)) > 0) {
    m = MAX_INT64;
    e = 0;
  }
  q = new Quantity(m, e, format);
  if (format === QuantityFormat.BinarySI && q.cmp(new Quantity(1n, 0, format)) < 0 && q.sign() > 0) {
    format = QuantityFormat.DecimalSI;
  }
  return new Quantity(positive ? m : -m, e, format);
}

/**
 * Quantity as found in a JSON object: a string or a number (YAML `cpu: 1`).
 * Mirrors `Quantity.UnmarshalJSON` (quotes stripped, spaces trimmed).
 */
export function parseQuantityValue(value: unknown): Quantity {
  if (typeof value === 'number') return parseQuantity(String(value));
  if (typeof value === 'string') return parseQuantity(value.trim());
  throw new QuantityParseError('QuantityFormatWrong', QuantityErrorMessage.FormatWrong);
}

/** Parse or return undefined; validation uses it where decoding already rejected bad text. */
export function tryParseQuantity(value: unknown): Quantity | undefined {
  try {
    return parseQuantityValue(value);
  } catch {
    return undefined;
  }
}

/**
 * The stored text of a resource-list quantity: parsed, rounded up to
 * milli-units (`SetDefaults_ResourceList`), canonical. Unparsable input is
 * returned unchanged for validation to reject.
 */
export function canonicalResourceQuantity(input: unknown): unknown {
  if (typeof input !== 'string' && typeof input !== 'number') return input;
  const q = tryParseQuantity(input);
  return q ? q.roundUp(-3).toString() : input;
}
