/**
 * pki — the certificate authority and serving certificate behind berth's
 * HTTPS endpoint on 127.0.0.1.
 *
 * Owns: generating ECDSA P-256 keys and X.509 v3 certificates (a self-signed
 * CA, and a server certificate it issues with serverAuth and the SANs kubectl
 * connects to), built by x509.ts over a minimal DER encoder of its own
 * (der.ts) — no dependency. Imports only node built-ins.
 *
 * Does not own: where the PEM files live or their file modes (cli/serve
 * writes them 0600 under the data directory), the HTTPS server, or the
 * kubeconfig that embeds the CA.
 *
 * State: none; keys exist only in the returned PEM strings. The clock is the
 * `now` argument. Timers: none.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { buildCertificate, fromPem, KeyUsage, rawSubject, toPem } from './x509.ts';

export interface CertificateAndKey {
  /** PEM `CERTIFICATE`. */
  certPem: string;
  /** PEM `PRIVATE KEY` (PKCS #8). */
  keyPem: string;
}

export interface ServerCertOptions {
  commonName: string;
  dnsNames?: readonly string[];
  ips?: readonly string[];
  /** ms since the epoch. */
  now: number;
}

const DAY = 86_400_000;
/** Back-dating absorbs clock differences between the issuer and a verifier (client-go does the same). */
const BACKDATE = 60 * 60 * 1000;
export const CA_VALIDITY_MS = 3650 * DAY;
export const SERVER_VALIDITY_MS = 365 * DAY;

function newKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

function keyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * A self-signed CA: basicConstraints CA:TRUE and keyUsage
 * keyCertSign|cRLSign|digitalSignature (both critical), subject key
 * identifier, valid ten years from `now`.
 */
export function createCa(commonName: string, now: number): CertificateAndKey {
  const { publicKey, privateKey } = newKeyPair();
  const name = { commonName };
  const der = buildCertificate({
    subject: name,
    issuer: name,
    publicKey,
    signingKey: privateKey,
    notBefore: now - BACKDATE,
    notAfter: now + CA_VALIDITY_MS,
    isCA: true,
    keyUsage: [KeyUsage.digitalSignature, KeyUsage.keyCertSign, KeyUsage.cRLSign],
  });
  return { certPem: toPem('CERTIFICATE', der), keyPem: keyPem(privateKey) };
}

/**
 * A serving certificate issued by `ca`: serverAuth, keyUsage
 * digitalSignature|keyEncipherment, the given DNS and IP SANs (default
 * `localhost` and `127.0.0.1`), authority key identifier, valid one year.
 */
export function issueServerCert(ca: CertificateAndKey, opts: ServerCertOptions): CertificateAndKey {
  const caKey = createPrivateKey(ca.keyPem);
  const caPublic = createPublicKey(caKey);
  const { publicKey, privateKey } = newKeyPair();
  const der = buildCertificate({
    subject: { commonName: opts.commonName },
    issuer: rawSubject(fromPem(ca.certPem, 'CERTIFICATE')),
    publicKey,
    signingKey: caKey,
    issuerPublicKey: caPublic,
    notBefore: opts.now - BACKDATE,
    notAfter: opts.now + SERVER_VALIDITY_MS,
    isCA: false,
    keyUsage: [KeyUsage.digitalSignature, KeyUsage.keyEncipherment],
    extKeyUsage: ['serverAuth'],
    dnsNames: opts.dnsNames ?? ['localhost'],
    ips: opts.ips ?? ['127.0.0.1'],
  });
  return { certPem: toPem('CERTIFICATE', der), keyPem: keyPem(privateKey) };
}
