/**
 * Bearer-token authentication. A request must carry
 * `Authorization: Bearer <token>` (the apiserver lets only /version and the
 * health checks through without credentials); comparison is constant-time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function makeAuthenticator(token: string): (req: IncomingMessage) => boolean {
  const expected = Buffer.from(token);
  return (req) => {
    const h = req.headers.authorization;
    if (!h || !h.startsWith('Bearer ')) return false;
    const got = Buffer.from(h.slice('Bearer '.length).trim());
    return got.length === expected.length && timingSafeEqual(got, expected);
  };
}
