/**
 * The request target (`req.url`) as kube-apiserver's Go HTTP server reads it.
 *
 * Contract:
 * - The path is percent-decoded as a whole, then split on `/` (Go decodes
 *   `URL.Path` before the RequestInfoResolver splits it). Escapes that decode
 *   to invalid UTF-8 become U+FFFD, so such names are simply not found.
 * - A malformed escape (`%A`, `%zz`) is a 400 with Go's `invalid URL escape`
 *   text, thrown as an ApiError, never a URIError.
 * - Dot segments are never resolved: WHATWG URL parsing would turn
 *   `/api/v1/namespaces/a/%2e%2e/b` into another resource's path. Any `.` or
 *   `..` segment answers 404, as kube-apiserver does.
 * - The query is parsed leniently (URLSearchParams keeps what Go's parser
 *   would drop as malformed).
 */
import { errors } from '../api/api.ts';

export interface RequestTarget {
  /** The decoded path, as received (no dot-segment resolution). */
  path: string;
  /** Non-empty decoded path segments. */
  segments: string[];
  query: URLSearchParams;
}

const malformedEscape = /%(?![0-9a-fA-F]{2})/;

function percentDecode(s: string): string {
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));
}

export function parseRequestTarget(rawUrl: string | undefined): RequestTarget {
  // An absolute-form target (`GET https://host/path`) names the path after its authority.
  const raw = (rawUrl ?? '/').replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/, '');
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const bad = malformedEscape.exec(rawPath);
  if (bad) throw errors.badRequest(`invalid URL escape ${JSON.stringify(rawPath.slice(bad.index, bad.index + 3))}`);
  const path = percentDecode(rawPath);
  const segments = path.split('/').filter((p) => p !== '');
  if (segments.some((s) => s === '.' || s === '..')) throw errors.noSuchPath();
  return { path, segments, query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) };
}
