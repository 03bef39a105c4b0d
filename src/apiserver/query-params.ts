/**
 * Query parameters read as kube-apiserver's parameter codec reads them, with
 * its error texts. Pure.
 */
import { errors, goQuote } from '../api/api.ts';

/** A boolean query parameter as kube-apiserver's parameter codec reads it: present and not `0`/`false` (any case) is true. */
export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return v !== '0' && v.toLowerCase() !== 'false';
}

/** An integer query parameter; a value Go's strconv.ParseInt refuses is a 400 with its text. */
export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(v)}: value out of range`);
  return n;
}
