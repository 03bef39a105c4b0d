/**
 * Bearer-token authentication. Every request, health checks included, must
 * carry `Authorization: Bearer <token>`; comparison is constant-time.
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
