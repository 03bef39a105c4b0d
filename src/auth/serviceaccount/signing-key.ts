/**
 * The key berth signs ServiceAccount tokens with, as kubeadm's
 * `pki/sa.key`: an ECDSA P-256 key (ES256) generated at first start into
 * `<data-dir>/pki/sa.key` (mode 0600, in the 0700 pki directory) and reused
 * afterwards, so tokens stay valid across restarts. The key id is the one
 * kube-apiserver derives: base64url(SHA-256(DER public key)).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The JWS `kid` header. */
  keyId: string;
}

/** kube-apiserver's keyIDFromPublicKey: the unpadded base64url SHA-256 of the DER public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** A fresh P-256 key, for tests and first start. */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Reads `<dataDir>/pki/sa.key`, creating it first when absent. */
export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'sa.key');
  if (!existsSync(file)) writeFileSync(file, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
  return signingKeyFromPem(readFileSync(file, 'utf8'));
}
