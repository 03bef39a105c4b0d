/**
 * Token authentication as kube-apiserver chains it: bearer-token
 * authenticators tried in order (the static admin token now, ServiceAccount
 * JWTs later), the first that recognises a token wins, and every user it
 * yields is in system:authenticated. A result never carries the token: what
 * reaches logs, events, Status messages and TokenReview errors is safe.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { withAuthenticatedGroup, type UserInfo } from './user-info.ts';

export interface TokenResponse {
  user: UserInfo;
  /** The audiences the token is valid for, of those asked for. */
  audiences: string[];
}

/**
 * What one authenticator says of a token: a user, or that it does not know
 * the token (`error` says why when it recognised the token but refused it:
 * expired, wrong audience, … — never the token itself).
 */
export type TokenResult = { ok: true; response: TokenResponse } | { ok: false; error?: string };

export interface TokenAuthenticator {
  /**
   * `audiences`: those the caller accepts (TokenReview's spec.audiences);
   * undefined means the API server's own.
   */
  authenticateToken(token: string, audiences?: readonly string[]): Promise<TokenResult>;
}

/**
 * A token authenticator that knows nothing of audiences (a static token):
 * valid for the API server's audiences only, as
 * authenticator.WrapAudienceAgnosticToken makes it.
 */
export function audienceAgnostic(apiAudiences: readonly string[], authenticate: (token: string) => UserInfo | undefined): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      const auds = audiences === undefined ? [...apiAudiences] : apiAudiences.filter((a) => audiences.includes(a));
      if (auds.length === 0) return { ok: false };
      const user = authenticate(token);
      return user ? { ok: true, response: { user, audiences: auds } } : { ok: false };
    },
  };
}

/** Constant-time comparison of secrets of any length (both sides hashed first). */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** A fixed table of tokens (kube-apiserver's --token-auth-file), compared in constant time. */
export function staticTokenAuthenticator(apiAudiences: readonly string[], tokens: ReadonlyArray<{ token: string; user: UserInfo }>): TokenAuthenticator {
  return audienceAgnostic(apiAudiences, (token) => {
    let found: UserInfo | undefined;
    for (const t of tokens) if (sameSecret(t.token, token) && !found) found = t.user;
    return found;
  });
}

/**
 * union.New with the authenticated-group adder around it: the first
 * authenticator that accepts the token answers; if none does, the refusals
 * with reasons are joined (utilerrors.NewAggregate's `[a, b]`).
 */
export function tokenAuthenticatorChain(...authenticators: TokenAuthenticator[]): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      const errs: string[] = [];
      for (const a of authenticators) {
        const r = await a.authenticateToken(token, audiences);
        if (r.ok) return { ok: true, response: { ...r.response, user: withAuthenticatedGroup(r.response.user) } };
        if (r.error) errs.push(r.error);
      }
      if (errs.length === 0) return { ok: false };
      return { ok: false, error: errs.length === 1 ? errs[0] : `[${errs.join(', ')}]` };
    },
  };
}

/**
 * bearertoken.Authenticator's reading of the Authorization header: the token
 * of `Bearer <token>` (scheme case-insensitive), or undefined when the header
 * carries none.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const auth = (header ?? '').trim();
  if (auth === '') return undefined;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  const token = parts[1];
  return token === '' ? undefined : token;
}
