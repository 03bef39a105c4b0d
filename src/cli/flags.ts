/**
 * Command-line flags: node:util's parseArgs with berth's usage errors, and the
 * value parsers commands share (durations, ports).
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './cli-errors.ts';

export interface Parsed<T extends ParseArgsOptionsConfig> {
  values: { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : T[K] extends { multiple: true } ? string[] : string };
  positionals: string[];
}

/** Strict parsing: an unknown flag, a missing value or (unless allowed) a positional is a UsageError for `command`. */
export function parseFlags<T extends ParseArgsOptionsConfig>(
  command: string,
  argv: string[],
  options: T,
  opts: { positionals?: boolean } = {},
): Parsed<T> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: opts.positionals ?? false });
    return { values: values as Parsed<T>['values'], positionals };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    // parseArgs' texts, made shorter and in berth's voice.
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) throw new UsageError(`unknown flag "${unknown[1]}" for "berth ${command}"`, command);
    const positional = /Unexpected argument '([^']+)'/.exec(msg);
    if (positional) throw new UsageError(`"berth ${command}" takes no arguments, got "${positional[1]}"`, command);
    const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(msg);
    if (missing) throw new UsageError(`flag "${missing[1].replace(/^-\w, /, '')}" needs a value`, command);
    const noValue = /Option '([^']+)' does not take an argument/.exec(msg);
    if (noValue) throw new UsageError(`flag "${noValue[1].replace(/^-\w, /, '')}" takes no value`, command);
    throw new UsageError(msg.split('\n')[0], command);
  }
}

/** `--help`/`-h` anywhere before a `--`. */
export function wantsHelp(argv: string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go-style duration as kubectl takes it (`90s`, `5m`, `1m30s`, `500ms`);
 * a bare number means seconds. Returns milliseconds.
 */
export function parseDuration(text: string, flag: string, command: string): number {
  const bare = /^\d+(\.\d+)?$/.test(text) ? `${text}s` : text;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(bare); m; m = re.exec(bare)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    matched = re.lastIndex;
  }
  if (bare === '' || matched !== bare.length) {
    throw new UsageError(`invalid value "${text}" for ${flag}: use a duration such as 90s, 5m or 1m30s`, command);
  }
  return Math.round(total);
}

/** A TCP port 0–65535 (0: any free port). */
export function parsePort(text: string, flag: string, command: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${flag} must be a number from 0 to 65535, not "${text}"`, command);
  }
  return port;
}

/** The API server port of `--port` (`flag`), else `$BERTH_PORT`, else 6443. */
export function apiPort(flag: string | undefined, command: string): number {
  return parsePort(flag ?? process.env.BERTH_PORT ?? '6443', flag === undefined ? 'BERTH_PORT' : '--port', command);
}

/** A whole number of seconds ≥ 0. */
export function parseSeconds(text: string, flag: string, command: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number of seconds, not "${text}"`, command);
  return Number(text);
}
