/**
 * The `continue` token of a paginated list: kube-apiserver's format
 * (storage/continue.go) — base64url (unpadded) of
 * `{"v":"meta.k8s.io/v1","rv":N,"start":"<key after the prefix>"}` — followed
 * by `.` and an HMAC-SHA256 of that text, keyed per process. The signature
 * makes the token tamper-proof: a client cannot move a page to a revision or
 * key range it was not given. A token from before a restart no longer verifies
 * and is refused like any other invalid token (the client lists again).
 *
 * `rv` -1 means "at the latest revision" (handed out with a 410 Expired when the
 * page's revision was compacted), as upstream.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { posix } from 'node:path';
import { errors } from '../api/api.ts';

const apiVersion = 'meta.k8s.io/v1';
const key = randomBytes(32);

export interface ContinuePosition {
  /** The full storage key the next page starts at (inclusive). */
  startKey: string;
  /** The revision every page is read at; -1 for the latest. */
  revision: number;
}

function sign(text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

/** EncodeContinue: `startKey` must lie under `prefix`. */
export function encodeContinue(startKey: string, prefix: string, revision: number): string {
  if (!startKey.startsWith(prefix)) throw new Error('unable to encode next field: the key and key prefix do not match');
  const text = Buffer.from(JSON.stringify({ v: apiVersion, rv: revision, start: startKey.slice(prefix.length) })).toString('base64url');
  return `${text}.${sign(text)}`;
}

/** DecodeContinue; every refusal is upstream's 400 `invalid continue token: continue key is not valid...`. */
export function decodeContinue(token: string, prefix: string): ContinuePosition {
  const invalid = (why: string) => errors.badRequest(`invalid continue token: continue key is not valid${why}`);
  const dot = token.lastIndexOf('.');
  const text = dot < 0 ? token : token.slice(0, dot);
  const mac = Buffer.from(dot < 0 ? '' : token.slice(dot + 1));
  const want = Buffer.from(sign(text));
  if (mac.length !== want.length || !timingSafeEqual(mac, want)) throw invalid(': signature does not match');
  let c: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (err) {
    throw invalid(`: ${(err as Error).message}`);
  }
  if (c.v !== apiVersion) throw invalid(`: server does not recognize this encoded version ${String(c.v)}`);
  if (typeof c.rv !== 'number' || !Number.isInteger(c.rv) || c.rv === 0) {
    throw invalid(': incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof c.start !== 'string' || c.start === '') throw invalid(': encoded start key empty (version meta.k8s.io/v1)');
  // As upstream: the start key may not climb out of the list's prefix.
  const start = c.start.startsWith('/') ? c.start : `/${c.start}`;
  if (posix.normalize(start) !== start || start.includes('//') || (start.length > 1 && start.endsWith('/'))) throw invalid(`: ${c.start}`);
  return { startKey: prefix + start.slice(1), revision: c.rv };
}
