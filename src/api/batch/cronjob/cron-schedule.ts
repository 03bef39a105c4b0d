/**
 * CronJob schedules as Kubernetes reads them: robfig/cron v3's
 * `ParseStandard` (five fields — minute, hour, day of month, month, day of
 * week — or a descriptor `@yearly`, `@annually`, `@monthly`, `@weekly`,
 * `@daily`, `@midnight`, `@hourly`, `@every <duration>`, optionally after a
 * `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix), with robfig's error texts, which
 * kube-apiserver returns as the detail of `spec.schedule: Invalid value`.
 *
 * The field rules here are robfig's acceptance rules only (what it refuses,
 * with its words: bounds, names, `*`/`?`, `a-b`, `/step`, lists); the times
 * are computed by croner, in the schedule's IANA zone (the node's local zone
 * when none is given, as kube-controller-manager's time.Local). Each field
 * reaches croner as plain numeric ranges, and a field robfig marks as a star
 * (`*` or `?`, with no step above 1) as `*`, so day-of-month and day-of-week combine as robfig
 * does: both restricted → either matches; one a star → the other decides.
 *
 * Daylight saving time: robfig walks wall-clock fields in absolute time, so
 * a time in a spring-forward gap is skipped and a time in a fall-back
 * overlap runs on both passes, for every schedule. That is croner's rule
 * for "interval jobs" (a step in the seconds field); croner's "fixed-time"
 * rule (run once after a gap, once in an overlap) is Vixie cron's, not
 * robfig's, so the seconds field croner gets is always the step `0-0/1`.
 *
 * `@every d` is robfig's ConstantDelaySchedule: the next time is the
 * current one truncated to the second plus d (at least one second, whole
 * seconds).
 *
 * State: none; pure functions and immutable schedules.
 */
import { Cron } from 'croner';
import { goQuote } from '../../go-format.ts';

/** A parsed schedule. `next` is strictly after `afterMs`; undefined is robfig's zero time (no match within its search). */
export interface CronSchedule {
  next(afterMs: number): number | undefined;
}

/** A schedule robfig refuses; `message` is robfig's error text. */
export class CronParseError extends Error {}

interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const months: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const dows: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };
const fieldBounds: readonly Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, months, dows];

/** robfig's descriptors as the five fields they stand for (stars where robfig sets `all(...)`). */
const descriptors: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const int64Max = 2n ** 63n - 1n;

/** Go's strconv.Atoi: an optional sign and decimal digits, within int64. */
function atoi(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new CronParseError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > int64Max || n < -int64Max - 1n) throw new CronParseError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  return n;
}

/** robfig's mustParseInt. */
function parseUint(expr: string): bigint {
  let n: bigint;
  try {
    n = atoi(expr);
  } catch (err) {
    throw new CronParseError(`failed to parse int from ${expr}: ${(err as Error).message}`);
  }
  if (n < 0n) throw new CronParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, r: Bounds): bigint {
  const named = r.names?.[expr.toLowerCase()];
  return named !== undefined ? BigInt(named) : parseUint(expr);
}

interface Range {
  start: number;
  end: number;
  step: number;
  star: boolean;
}

/** robfig's getRange: `number | number "-" number [ "/" number ]`, or `*`/`?` with an optional step. */
function parseRange(expr: string, r: Bounds): Range {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: bigint;
  let end: bigint;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = BigInt(r.min);
    end = BigInt(r.max);
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], r);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  let step = 1n;
  if (rangeAndStep.length === 2) {
    step = parseUint(rangeAndStep[1]);
    // "N/step" means "N-max/step".
    if (singleDigit) end = BigInt(r.max);
    if (step > 1n) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronParseError(`too many slashes: ${expr}`);
  }
  if (start < BigInt(r.min)) throw new CronParseError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > BigInt(r.max)) throw new CronParseError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0n) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  return { start: Number(start), end: Number(end), step: Number(step), star };
}

/** A field as croner gets it: `*` for a robfig star, else numeric ranges; undefined when it selects nothing (`,`). */
function fieldForCroner(field: string, r: Bounds): string | undefined {
  const ranges = field
    .split(',')
    .filter((x) => x !== '')
    .map((x) => parseRange(x, r));
  if (ranges.length === 0) return undefined;
  if (ranges.some((x) => x.star)) return '*';
  return ranges.map(({ start, end, step }) => (start === end ? `${start}` : step === 1 ? `${start}-${end}` : `${start}-${end}/${step}`)).join(',');
}

/** `fmt.Sprint` of a []string: `[a b c]`. */
const goFields = (fields: readonly string[]) => `[${fields.join(' ')}]`;

const never: CronSchedule = { next: () => undefined };

function specSchedule(spec: string, zone: string | undefined): CronSchedule {
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: ${goFields(fields)}`);
  const parts: (string | undefined)[] = [];
  // The first refused field is the error, as robfig stops at it.
  for (let i = 0; i < 5; i++) parts.push(fieldForCroner(fields[i], fieldBounds[i]));
  if (parts.some((p) => p === undefined)) return never;
  const cron = new Cron(`0-0/1 ${parts.join(' ')}`, { paused: true, mode: '6-part', timezone: zone });
  return {
    next(afterMs) {
      const t = cron.nextRun(new Date(afterMs));
      return t ? t.getTime() : undefined;
    },
  };
}

/**
 * Go's time.LoadLocation acceptance, over the IANA database Node carries:
 * '' and UTC, Local, or a zone name exactly as the database spells it
 * (Go reads zone files by name, so `america/new_york` is unknown). Returns
 * Go's error text, or undefined when the name loads.
 */
export function loadLocationError(name: string): string | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return undefined;
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return 'time: invalid location name';
  let resolved: string;
  try {
    // Offsets ('+01:00') are ECMAScript time zones, not zone files.
    if (/^[+-]/.test(name)) throw new RangeError(name);
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone ${name}`;
  }
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return `unknown time zone ${name}`;
  return undefined;
}

const durationUnits: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in ms; throws its error text. */
export function parseGoDuration(orig: string): number {
  const invalid = () => new CronParseError(`time: invalid duration ${goQuote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const num = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    if (!/^[0-9.]/.test(s)) throw invalid();
    const [whole, intPart, fracPart] = num;
    if (intPart === '' && (fracPart === undefined || fracPart === '')) throw invalid();
    s = s.slice(whole.length);
    const unitLen = s.search(/[0-9.]/);
    const unit = unitLen === -1 ? s : s.slice(0, unitLen);
    if (unit === '') throw new CronParseError(`time: missing unit in duration ${goQuote(orig)}`);
    s = s.slice(unit.length);
    const scale = durationUnits[unit];
    if (scale === undefined) throw new CronParseError(`time: unknown unit ${goQuote(unit)} in duration ${goQuote(orig)}`);
    total += Number(`${intPart || '0'}.${fracPart ?? ''}0`) * scale;
    if (total > 9_223_372_036_854.775) throw invalid();
  }
  return neg ? -total : total;
}

/** robfig's Every: at least a second, whole seconds; next is the current second plus the delay. */
function everySchedule(durationMs: number): CronSchedule {
  const d = durationMs < 1000 ? 1000 : durationMs - (durationMs % 1000);
  return { next: (afterMs) => Math.floor(afterMs / 1000) * 1000 + d };
}

/**
 * robfig/cron v3 `ParseStandard(spec)`; throws CronParseError with robfig's
 * message. `CRON_TZ=`/`TZ=` select the zone; without one, the local zone.
 */
export function parseStandard(spec: string): CronSchedule {
  if (spec.length === 0) throw new CronParseError('empty spec string');
  let zone: string | undefined;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const name = spec.slice(spec.indexOf('=') + 1, space === -1 ? undefined : space);
    const err = space === -1 ? `unknown time zone ${name}` : loadLocationError(name);
    if (err !== undefined) throw new CronParseError(`provided bad location ${name}: ${err}`);
    zone = name === '' ? 'UTC' : name === 'Local' ? undefined : name;
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    const fields = Object.hasOwn(descriptors, spec) ? descriptors[spec] : undefined;
    if (fields !== undefined) return specSchedule(fields, zone);
    if (spec.startsWith('@every ')) {
      let d: number;
      try {
        d = parseGoDuration(spec.slice('@every '.length));
      } catch (err) {
        throw new CronParseError(`failed to parse duration ${spec}: ${(err as Error).message}`);
      }
      return everySchedule(d);
    }
    throw new CronParseError(`unrecognized descriptor: ${spec}`);
  }
  return specSchedule(spec, zone);
}
