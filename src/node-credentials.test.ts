import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateCredentials } from './node-credentials.ts';
import { issueServerCert } from './pki/pki.ts';

const DAY = 86_400_000;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-creds-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function servedBy(certPem: string, caPem: string): boolean {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  return cert.checkIssued(ca) && cert.verify(ca.publicKey);
}

test('loadOrCreateCredentials reuses the CA, serving certificate and token of an earlier start', (t) => {
  const dir = tempDir(t);
  const first = loadOrCreateCredentials(dir);
  const second = loadOrCreateCredentials(dir);
  assert.deepEqual(second, first);
  assert.ok(servedBy(first.certPem, first.caPem));
});

test('loadOrCreateCredentials issues the serving certificate again when it expired, keeping the CA and token', (t) => {
  const dir = tempDir(t);
  const now = Date.now();
  const old = loadOrCreateCredentials(dir, now - 400 * DAY);
  assert.ok(new X509Certificate(old.certPem).validToDate.getTime() < now);
  const renewed = loadOrCreateCredentials(dir, now);
  assert.equal(renewed.caPem, old.caPem);
  assert.equal(renewed.token, old.token);
  assert.notEqual(renewed.certPem, old.certPem);
  assert.ok(new X509Certificate(renewed.certPem).validToDate.getTime() > now + 300 * DAY);
  assert.ok(servedBy(renewed.certPem, renewed.caPem));
});

test('loadOrCreateCredentials issues the serving certificate again when the CA was made anew', (t) => {
  const dir = tempDir(t);
  const first = loadOrCreateCredentials(dir);
  rmSync(join(dir, 'pki', 'ca.crt'));
  rmSync(join(dir, 'pki', 'ca.key'));
  const next = loadOrCreateCredentials(dir);
  assert.notEqual(next.caPem, first.caPem);
  assert.ok(servedBy(next.certPem, next.caPem));
});

test('loadOrCreateCredentials serves under the kubernetes Service\'s names and IP, and reissues a certificate that lacks them', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-creds-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = loadOrCreateCredentials(dir);
  const san = new X509Certificate(first.certPem).subjectAltName ?? '';
  for (const name of ['DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local', 'IP Address:10.96.0.1', 'IP Address:127.0.0.1']) {
    assert.ok(san.includes(name), `${name} in ${san}`);
  }
  // A certificate from before berth served the kubernetes Service (localhost only).
  const ca = { certPem: readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8'), keyPem: readFileSync(join(dir, 'pki', 'ca.key'), 'utf8') };
  const old = issueServerCert(ca, { commonName: 'berth-apiserver', dnsNames: ['localhost'], ips: ['127.0.0.1'], now: Date.now() });
  writeFileSync(join(dir, 'pki', 'apiserver.crt'), old.certPem);
  writeFileSync(join(dir, 'pki', 'apiserver.key'), old.keyPem);
  const again = loadOrCreateCredentials(dir);
  assert.notEqual(again.certPem, old.certPem);
  assert.ok((new X509Certificate(again.certPem).subjectAltName ?? '').includes('DNS:kubernetes'));
  assert.equal(again.caPem, first.caPem);
});
