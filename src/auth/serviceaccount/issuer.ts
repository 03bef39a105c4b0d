/**
 * Signs ServiceAccount token claims into a compact JWS (ES256, with the
 * key's `kid`), as kube-apiserver's JWT token generator. Signing is jose's;
 * nothing here parses or builds JWTs by hand.
 */
import { SignJWT } from 'jose/jwt/sign';
import type { SigningKey } from './signing-key.ts';
import type { TokenClaims } from './claims.ts';

export const signingAlgorithm = 'ES256';

export async function signToken(key: SigningKey, claims: TokenClaims): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: signingAlgorithm, kid: key.keyId }).sign(key.privateKey);
}
