import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import type { Registry } from '../registry/registry.ts';
import { ApiServer, type ApiServerOptions } from './apiserver.ts';
import type { NodeStreams } from './node-streams.ts';
import { createCa, issueServerCert } from './tls/tls.ts';

const token = 'test-token';
const ca = createCa('test-ca', Date.now());
const serving = issueServerCert(ca, { commonName: 'test', now: Date.now() });

interface Answer {
  status: number;
  body: any;
}

async function startServer(t: TestContext, opts: Partial<ApiServerOptions> = {}): Promise<{ registry: Registry; port: number; call: (method: string, path: string, body?: string) => Promise<Answer> }> {
  const { registry } = memoryRegistry(t);
  const api = new ApiServer({ registry, token, tls: serving, ...opts });
  const port = await api.start();
  t.after(() => api.stop());
  const call = (method: string, path: string, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, method, ca: ca.certPem, agent: false, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body ?? '') } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { registry, port, call };
}

const pod = (name: string) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } });

test('apiserver answers pods/log with 503 ServiceUnavailable while the node agent is not running', async (t) => {
  let node: NodeStreams | undefined;
  const { registry, call } = await startServer(t, { node: () => node });
  registry.pods.create('default', pod('p'));
  const r = await call('GET', '/api/v1/namespaces/default/pods/p/log');
  assert.equal(r.status, 503);
  assert.equal(r.body.reason, 'ServiceUnavailable');
  assert.equal(r.body.message, 'the node is starting');

  node = {
    logs: async (_pod, _opts, out) => void out.write('hello\n'),
    execUrl: () => Promise.reject(new Error('unused')),
    attachUrl: () => Promise.reject(new Error('unused')),
    portForwardUrl: () => Promise.reject(new Error('unused')),
  };
  const ok = await call('GET', '/api/v1/namespaces/default/pods/p/log');
  assert.equal(ok.status, 200);
  assert.equal(ok.body, 'hello\n');
});

test('apiserver refuses an upgrade without the token, or for a path with no upgrade, with a Status on the raw socket', async (t) => {
  const { port } = await startServer(t);
  const upgrade = (path: string, auth: boolean) =>
    new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, ca: ca.certPem, servername: 'localhost' }, () => {
        s.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n${auth ? `Authorization: Bearer ${token}\r\n` : ''}\r\n`);
      });
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('end', () => resolve(text));
      s.on('error', reject);
    });
  const unauthorized = await upgrade('/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=1', false);
  assert.match(unauthorized, /^HTTP\/1\.1 401 Unauthorized\r\n/);
  assert.equal(JSON.parse(unauthorized.slice(unauthorized.indexOf('\r\n\r\n') + 4)).reason, 'Unauthorized');
  const unsupported = await upgrade('/api/v1/namespaces/default/configmaps/c/exec', true);
  assert.match(unsupported, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.equal(JSON.parse(unsupported.slice(unsupported.indexOf('\r\n\r\n') + 4)).message, 'upgrade not supported: SPDY/3.1');
});

test('apiserver answers 404 for a cluster-scoped resource under a namespace path, as kube-apiserver has no such route', async (t) => {
  const { call } = await startServer(t);
  assert.equal((await call('GET', '/api/v1/namespaces')).status, 200);
  for (const path of ['/api/v1/namespaces/default/namespaces', '/api/v1/namespaces/default/namespaces/default', '/api/v1/namespaces/default/nodes']) {
    const r = await call('GET', path);
    assert.equal(r.status, 404, path);
    assert.equal(r.body.reason, 'NotFound', path);
  }
});

test('apiserver deletes with a JSON null body as with no options', async (t) => {
  const { registry, call } = await startServer(t);
  registry.configmaps.create('default', { metadata: { name: 'c' } });
  const r = await call('DELETE', '/api/v1/namespaces/default/configmaps/c', 'null');
  assert.equal(r.status, 200);
  assert.equal(registry.configmaps.find('default', 'c'), undefined);
});

test('apiserver deletecollection fails with the error of an item it cannot delete, and deletes nothing more', async (t) => {
  const { registry, call } = await startServer(t);
  registry.configmaps.create('default', { metadata: { name: 'a' } });
  registry.configmaps.create('default', { metadata: { name: 'b' } });
  const r = await call('DELETE', '/api/v1/namespaces/default/configmaps', JSON.stringify({ preconditions: { uid: 'not-this-one' } }));
  assert.equal(r.status, 409);
  assert.equal(r.body.reason, 'Conflict');
  assert.ok(registry.configmaps.find('default', 'a'));
  assert.ok(registry.configmaps.find('default', 'b'));

  const ok = await call('DELETE', '/api/v1/namespaces/default/configmaps');
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.items.map((c: any) => c.metadata.name), ['a', 'b']);
  assert.equal(registry.configmaps.find('default', 'a'), undefined);
});

test('apiserver drops a watch that falls behind while its initial events are replayed, and leaves no timer behind', async (t) => {
  const { registry, port } = await startServer(t);
  const big = 'x'.repeat(900 * 1024);
  for (let i = 0; i < 24; i++) registry.configmaps.create('default', { metadata: { name: `c${i}` }, data: { big } });
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  // The client reads nothing: the replay's ~21 MiB exceed the watch's buffer bound during the replay itself.
  const ended = await new Promise<string>((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true', ca: ca.certPem, agent: false, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        res.pause();
        res.on('error', () => resolve('dropped'));
        res.on('aborted', () => resolve('dropped'));
        res.on('end', () => resolve('ended'));
      },
    );
    req.on('error', () => resolve('dropped'));
    req.end();
  });
  assert.equal(ended, 'dropped');
  assert.equal(timers(), before);
});
