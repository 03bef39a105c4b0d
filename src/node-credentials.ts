/**
 * berth's credentials on disk: the CA and serving certificate for the API
 * server and the bearer token, created at first start and reused afterwards
 * so a kubeconfig stays valid across restarts. The serving certificate (valid
 * one year) is issued again at a start when it expires within 30 days, or
 * when it is not the CA's or its key's — the kubeconfig names only the CA, so
 * it stays valid. Files are private (0600) in a private directory (0700).
 */
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, issueServerCert } from './pki/pki.ts';

export interface Credentials {
  caPem: string;
  certPem: string;
  keyPem: string;
  token: string;
}

/** A serving certificate that expires within this is issued again at start. */
const RENEW_BEFORE_MS = 30 * 86_400_000;

/**
 * The names the API server answers to, as kube-apiserver's serving
 * certificate carries them: localhost, the `kubernetes` Service's names and
 * ClusterIP (pods reach it at https://kubernetes.default.svc), and the
 * bridge address the Service's endpoint points at.
 */
export const servingDnsNames = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'] as const;
export const servingIps = ['127.0.0.1', '10.96.0.1', '10.244.0.1'] as const;

/** Whether `cert` names every DNS name and IP berth serves under. */
function namesEverything(cert: X509Certificate): boolean {
  const san = cert.subjectAltName ?? '';
  const entries = new Set(san.split(',').map((e) => e.trim()));
  return servingDnsNames.every((n) => entries.has(`DNS:${n}`)) && servingIps.every((ip) => entries.has(`IP Address:${ip}`));
}

function writePrivate(path: string, data: string): void {
  writeFileSync(path, data, { mode: 0o600 });
}

/** Whether the serving certificate on disk can be served on: the CA's, matching its key, naming every serving name, not about to expire. */
function servingCertUsable(certFile: string, keyFile: string, caPem: string, now: number): boolean {
  if (!existsSync(certFile) || !existsSync(keyFile)) return false;
  try {
    const cert = new X509Certificate(readFileSync(certFile, 'utf8'));
    const ca = new X509Certificate(caPem);
    return (
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(readFileSync(keyFile, 'utf8'))) &&
      namesEverything(cert) &&
      cert.validToDate.getTime() - now > RENEW_BEFORE_MS
    );
  } catch {
    return false;
  }
}

export function loadOrCreateCredentials(dataDir: string, now = Date.now()): Credentials {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCert = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const cert = join(dir, 'apiserver.crt');
  const key = join(dir, 'apiserver.key');
  const tokenFile = join(dataDir, 'token');
  if (!existsSync(caCert) || !existsSync(caKey)) {
    const created = createCa('berth-ca', now);
    writePrivate(caCert, created.certPem);
    writePrivate(caKey, created.keyPem);
  }
  const ca = { certPem: readFileSync(caCert, 'utf8'), keyPem: readFileSync(caKey, 'utf8') };
  if (!servingCertUsable(cert, key, ca.certPem, now)) {
    const served = issueServerCert(ca, { commonName: 'berth-apiserver', dnsNames: servingDnsNames, ips: servingIps, now });
    writePrivate(cert, served.certPem);
    writePrivate(key, served.keyPem);
  }
  if (!existsSync(tokenFile)) writePrivate(tokenFile, randomBytes(32).toString('hex') + '\n');
  return {
    caPem: ca.certPem,
    certPem: readFileSync(cert, 'utf8'),
    keyPem: readFileSync(key, 'utf8'),
    token: readFileSync(tokenFile, 'utf8').trim(),
  };
}

/** The kubeconfig for reaching this node, context `berth`. */
export function kubeconfigYaml(server: string, caPem: string, token: string, context = 'berth'): string {
  const ca = Buffer.from(caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${context}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    `    user: ${context}`,
    '    namespace: default',
    `current-context: ${context}`,
    '',
  ].join('\n');
}
