/**
 * Strategy warnings reach clients as `Warning:` headers: a pod create answers
 * with GetWarningsForPod's texts, after any unknown-field warnings.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import { ApiServer } from './apiserver.ts';
import { createCa, issueServerCert } from '../pki/pki.ts';

const token = 'test-token';
const ca = createCa('test-ca', Date.now());
const serving = issueServerCert(ca, { commonName: 'test', now: Date.now() });

interface Answer {
  status: number;
  warnings: string[];
  body: any;
}

async function startServer(t: TestContext): Promise<(method: string, path: string, body?: string, contentType?: string) => Promise<Answer>> {
  const { registry } = memoryRegistry(t);
  const api = new ApiServer({ registry, token, tls: serving });
  const port = await api.start();
  t.after(() => api.stop());
  return (method, path, body, contentType = 'application/json') =>
    new Promise<Answer>((resolve, reject) => {
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body ?? '') };
      const req = request({ host: '127.0.0.1', port, path, method, ca: ca.certPem, agent: false, headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          const w = res.headers.warning;
          resolve({ status: res.statusCode ?? 0, warnings: w === undefined ? [] : Array.isArray(w) ? w : [w], body: JSON.parse(text) });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}


const pod = (extra: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: -5, containers: [{ name: 'c', image: 'busybox:1.35' }], ...JSON.parse(extra) } });

test('apiserver sends the pod strategy warnings of a create as Warning headers', async (t) => {
  const call = await startServer(t);
  const created = await call('POST', '/api/v1/namespaces/default/pods?fieldValidation=Warn', pod('{"bogus": 1}'));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  // Node's client joins repeated headers with ", ".
  assert.equal(
    created.warnings.join(', '),
    '299 - "unknown field \\"spec.bogus\\"", 299 - "spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"',
  );
  const replaced = await call('PUT', '/api/v1/namespaces/default/pods/p', JSON.stringify({ ...created.body, metadata: { ...created.body.metadata, labels: { a: 'b' } } }));
  assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
  assert.deepEqual(replaced.warnings, [], 'pods warn on create only');
});
