import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { createCa, issueServerCert, type CertificateAndKey } from './pki.ts';

const NOW = Date.now();
const DAY = 86_400_000;
const ca = createCa('berth-ca', NOW);
const server = issueServerCert(ca, { commonName: 'berth', now: NOW });

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('createCa', () => {
  it('createCa makes a self-signed CA valid for ten years', () => {
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.equal(cert.subject, 'CN=berth-ca');
    assert.equal(cert.issuer, 'CN=berth-ca');
    assert.ok(cert.checkIssued(cert));
    assert.ok(cert.verify(cert.publicKey));
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const years = (Date.parse(cert.validTo) - NOW) / (365 * DAY);
    assert.ok(years > 9.9 && years < 10.1, `valid for ${years} years`);
    assert.ok(Date.parse(cert.validFrom) <= NOW);
  });

  it('createCa returns a PKCS #8 key that matches the certificate', () => {
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    const cert = new X509Certificate(ca.certPem);
    assert.ok(cert.checkPrivateKey(createPrivateKey(ca.keyPem)));
  });
});

describe('issueServerCert', () => {
  it('issueServerCert issues a serverAuth certificate for localhost and 127.0.0.1, signed by the CA', () => {
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(server.certPem);
    assert.equal(cert.ca, false);
    assert.equal(cert.subject, 'CN=berth');
    assert.equal(cert.issuer, 'CN=berth-ca');
    assert.ok(cert.checkIssued(caCert));
    assert.ok(cert.verify(caCert.publicKey));
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('10.0.0.1'), undefined);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.ok(cert.checkPrivateKey(createPrivateKey(server.keyPem)));
    const days = (Date.parse(cert.validTo) - NOW) / DAY;
    assert.ok(days > 364 && days < 366, `valid for ${days} days`);
  });

  it('issueServerCert puts every requested SAN in the certificate', () => {
    const cert = new X509Certificate(
      issueServerCert(ca, { commonName: 'x', dnsNames: ['localhost', 'berth.local'], ips: ['127.0.0.1', '::1', '10.88.0.1'], now: NOW })
        .certPem,
    );
    assert.equal(cert.subjectAltName, 'DNS:localhost, DNS:berth.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.88.0.1');
    assert.equal(cert.checkIP('::1'), '::1');
  });

  it('issueServerCert gives each certificate a fresh key and serial', () => {
    const other = issueServerCert(ca, { commonName: 'berth', now: NOW });
    assert.notEqual(new X509Certificate(other.certPem).serialNumber, new X509Certificate(server.certPem).serialNumber);
    assert.notEqual(other.keyPem, server.keyPem);
  });

  it('issueServerCert chains to its own CA only', () => {
    const stranger = new X509Certificate(createCa('berth-ca', NOW).certPem);
    const cert = new X509Certificate(server.certPem);
    assert.equal(cert.verify(stranger.publicKey), false);
  });

  it('openssl verify accepts the chain and names the purpose', { skip: !existsSync('/usr/bin/openssl') }, (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'server.pem'), server.certPem);
    const out = execFileSync('/usr/bin/openssl', ['verify', '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'server.pem')], {
      encoding: 'utf8',
    });
    assert.equal(out.trim(), `${join(dir, 'server.pem')}: OK`);
  });
});

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: 'abc',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Serves /version over HTTPS with `pair` on 127.0.0.1:0; closed when the test ends. */
async function versionServer(t: TestContext, pair: CertificateAndKey): Promise<{ port: number; auth: string[] }> {
  const auth: string[] = [];
  const srv = createServer({ cert: pair.certPem, key: pair.keyPem }, (req, res) => {
    auth.push(String(req.headers.authorization));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(VERSION));
  });
  t.after(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { port: (srv.address() as AddressInfo).port, auth };
}

function kubectl(dir: string, port: number, caFile: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/kubectl',
      ['--server', `https://127.0.0.1:${port}`, '--certificate-authority', caFile, '--token', 'x', '--cache-dir', join(dir, 'cache'), 'get', '--raw', '/version'],
      { env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig'), HOME: dir }, timeout: 30_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('kubectl against the issued certificate', { skip: !existsSync('/usr/bin/kubectl') }, () => {
  it('kubectl (Go crypto/tls) accepts the server certificate when given the CA', async (t) => {
    const dir = tempDir(t);
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, ca.certPem);
    const { port, auth } = await versionServer(t, server);
    const r = await kubectl(dir, port, caFile);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), VERSION);
    assert.ok(auth.length >= 1 && auth.every((a) => a === 'Bearer x'), auth.join(','));
  });

  it('kubectl rejects the server certificate when given another CA', async (t) => {
    const dir = tempDir(t);
    const caFile = join(dir, 'other-ca.pem');
    writeFileSync(caFile, createCa('berth-ca', NOW).certPem);
    const { port, auth } = await versionServer(t, server);
    const r = await kubectl(dir, port, caFile);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /certificate signed by unknown authority|x509/);
    assert.deepEqual(auth, []);
  });
});
