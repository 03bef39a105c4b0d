import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import type { Registry } from '../registry/registry.ts';
import { ApiServer, type ApiServerOptions } from './apiserver.ts';
import type { NodeStreams } from './node-streams.ts';
import { createCa, issueServerCert } from '../pki/pki.ts';

const token = 'test-token';
const ca = createCa('test-ca', Date.now());
const serving = issueServerCert(ca, { commonName: 'test', now: Date.now() });

interface Answer {
  status: number;
  body: any;
}

type Call = (method: string, path: string, body?: string, headers?: Record<string, string | undefined>) => Promise<Answer>;

async function startServer(t: TestContext, opts: Partial<ApiServerOptions> = {}): Promise<{ registry: Registry; port: number; call: Call }> {
  const { registry } = memoryRegistry(t);
  const api = new ApiServer({ registry, token, tls: serving, ...opts });
  const port = await api.start();
  t.after(() => api.stop());
  const call: Call = (method, path, body, extra = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string | number> = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body ?? '') };
      for (const [k, v] of Object.entries(extra)) {
        if (v === undefined) delete headers[k];
        else headers[k] = v;
      }
      const req = request(
        { host: '127.0.0.1', port, path, method, ca: ca.certPem, agent: false, headers },
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

const rawUpgrade = (port: number, path: string) =>
  new Promise<string>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ca: ca.certPem, servername: 'localhost' }, () => {
      s.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    });
    let text = '';
    s.on('data', (d) => (text += d));
    s.on('end', () => resolve(text));
    s.on('error', reject);
  });

test('apiserver answers a malformed percent-escape with a 400 Status on upgrades and plain requests, and keeps serving', async (t) => {
  const { call, port } = await startServer(t);
  const up = await rawUpgrade(port, '/api/v1/namespaces/default/pods/%E0%A4%A/exec?command=ls&stdout=true');
  assert.match(up, /^HTTP\/1\.1 400 Bad Request\r\n/);
  const status = JSON.parse(up.slice(up.indexOf('\r\n\r\n') + 4));
  assert.equal(status.kind, 'Status');
  assert.equal(status.message, 'invalid URL escape "%A/"');
  const plain = await call('GET', '/api/v1/namespaces/default/pods/%E0%A4%A');
  assert.equal(plain.status, 400);
  assert.equal(plain.body.reason, 'BadRequest');
  assert.equal((await call('GET', '/api/v1/namespaces/default/pods')).status, 200);
});

test('apiserver never resolves dot segments onto another resource', async (t) => {
  const { registry, call } = await startServer(t);
  registry.configmaps.create('kube-system', { metadata: { name: 'secret-ish' } });
  for (const path of [
    '/api/v1/namespaces/default/../kube-system/configmaps/secret-ish',
    '/api/v1/namespaces/default/%2e%2e/kube-system/configmaps/secret-ish',
    '/api/v1/namespaces/default/configmaps/%2E%2E',
  ]) {
    const r = await call('GET', path);
    assert.equal(r.status, 404, path);
    assert.equal(r.body.message, 'the server could not find the requested resource', path);
  }
});

test('apiserver serves /version and the health checks without credentials, but not with a wrong token', async (t) => {
  const { call } = await startServer(t);
  for (const path of ['/version', '/version/', '/healthz', '/livez', '/readyz']) {
    assert.equal((await call('GET', path, undefined, { Authorization: undefined })).status, 200, path);
    assert.equal((await call('GET', path, undefined, { Authorization: 'Bearer wrong' })).status, 401, path);
  }
  // system:public-info-viewer names these paths exactly: anonymous gets no other spelling.
  const slash = await call('GET', '/readyz/', undefined, { Authorization: undefined });
  assert.equal(slash.status, 403);
  assert.equal(slash.body.message, 'forbidden: User "system:anonymous" cannot get path "/readyz/"');
  for (const path of ['/api', '/apis', '/api/v1/pods', '/openapi/v2']) {
    assert.equal((await call('GET', path, undefined, { Authorization: undefined })).status, 401, path);
  }
});

test('apiserver refuses to delete the default, kube-system and kube-public namespaces, and any deletecollection of namespaces', async (t) => {
  const { registry, call } = await startServer(t);
  for (const ns of ['default', 'kube-system', 'kube-public']) {
    const r = await call('DELETE', `/api/v1/namespaces/${ns}`);
    assert.equal(r.status, 403, ns);
    assert.equal(r.body.reason, 'Forbidden');
    assert.equal(r.body.message, `namespaces "${ns}" is forbidden: this namespace may not be deleted`);
    const dry = await call('DELETE', `/api/v1/namespaces/${ns}?dryRun=All`);
    assert.equal(dry.status, 403, ns);
    assert.equal(registry.namespaces.find(undefined, ns)?.status?.phase, 'Active');
  }
  const all = await call('DELETE', '/api/v1/namespaces');
  assert.equal(all.status, 405);
  assert.equal(all.body.reason, 'MethodNotAllowed');
  assert.ok(registry.namespaces.find(undefined, 'default'));
  registry.namespaces.create(undefined, { metadata: { name: 'scratch' } });
  assert.equal((await call('DELETE', '/api/v1/namespaces/scratch')).status, 200);
});

test('apiserver refuses an unsupported dryRun value with a 422 and stores nothing', async (t) => {
  const { registry, call } = await startServer(t);
  const created = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=Bogus', JSON.stringify({ metadata: { name: 'c' } }));
  assert.equal(created.status, 422);
  assert.equal(created.body.message, 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"');
  assert.equal(registry.configmaps.find('default', 'c'), undefined);
  registry.configmaps.create('default', { metadata: { name: 'd' } });
  assert.equal((await call('DELETE', '/api/v1/namespaces/default/configmaps/d?dryRun=all')).status, 422);
  assert.equal((await call('DELETE', '/api/v1/namespaces/default/configmaps/d?gracePeriodSeconds=soon')).status, 400);
  assert.ok(registry.configmaps.find('default', 'd'));
  const dry = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', JSON.stringify({ metadata: { name: 'e' } }));
  assert.equal(dry.status, 201);
  assert.equal(registry.configmaps.find('default', 'e'), undefined);
});

test('apiserver refuses a body whose apiVersion the resource is not served in', async (t) => {
  const { registry, call } = await startServer(t);
  const r = await call('POST', '/api/v1/namespaces/default/pods', JSON.stringify({ apiVersion: 'evil/v9', kind: 'Pod', ...pod('p') }));
  assert.equal(r.status, 400);
  assert.equal(r.body.message, 'Pod in version "v9" cannot be handled as a Pod: no kind "Pod" is registered for version "evil/v9" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"');
  assert.equal(registry.pods.find('default', 'p'), undefined);
  assert.equal((await call('POST', '/api/v1/namespaces/default/pods', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...pod('p') }))).status, 201);
});

test('apiserver answers a body nested deeper than 1000 levels with a 400, for JSON and YAML alike, and stores one just below', async (t) => {
  const { registry, call } = await startServer(t);
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const r = await call('POST', '/api/v1/namespaces/default/configmaps', `{"metadata":{"name":"deep"},"x":${deep(200_000)}}`);
  assert.equal(r.status, 400);
  assert.equal(r.body.message, "couldn't get version/kind; json parse error: invalid character '[' exceeded max depth");
  const y = await call('POST', '/api/v1/namespaces/default/configmaps', `metadata: {name: deep}\nx: ${deep(20_000)}\n`, { 'Content-Type': 'application/yaml' });
  assert.equal(y.status, 400);
  assert.equal(registry.configmaps.find('default', 'deep'), undefined);
  const limit = await call('POST', '/api/v1/namespaces/default/configmaps', `{"metadata":{"name":"deep"},"x":${deep(1000)}}`);
  assert.equal(limit.status, 400);
  const below = await call('POST', '/api/v1/namespaces/default/configmaps', `{"metadata":{"name":"deep"},"x":${deep(998)}}`);
  assert.equal(below.status, 201);
});

test('apiserver drops unknown fields under fieldValidation Warn and Ignore, on create and patch, as decoding into Go types does', async (t) => {
  const { registry, call } = await startServer(t);
  const body = { metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35', imagee: 'x' }], notAField: { deep: [1] } }, extra: true };
  for (const mode of ['Warn', 'Ignore']) {
    const r = await call('POST', `/api/v1/namespaces/default/pods?fieldValidation=${mode}`, JSON.stringify(body));
    assert.equal(r.status, 201, mode);
    const stored: any = registry.pods.find('default', 'p');
    assert.equal(stored.spec.notAField, undefined, mode);
    assert.equal(stored.spec.containers[0].imagee, undefined, mode);
    assert.equal(stored.extra, undefined, mode);
    assert.deepEqual(stored.metadata.labels, { a: 'b' }, mode);
    const patched = await call('PATCH', `/api/v1/namespaces/default/pods/p?fieldValidation=${mode}`, JSON.stringify({ metadata: { labels: { c: 'd' } }, spec: { bogus: 1 } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patched.status, 200, mode);
    const repatched: any = registry.pods.find('default', 'p');
    assert.equal(repatched.spec.bogus, undefined, mode);
    assert.equal(repatched.metadata.labels.c, 'd', mode);
    registry.pods.delete('default', 'p', { gracePeriodSeconds: 0 });
  }
});

test('apiserver serves a second address only to the clients its filter accepts', async (t) => {
  const { registry } = memoryRegistry(t);
  const api = new ApiServer({ registry, token, tls: serving });
  const port = await api.start();
  t.after(() => api.stop());
  const seen: string[] = [];
  await api.listenAlso('127.0.0.2', (ip) => {
    seen.push(ip);
    return seen.length === 1;
  });
  const version = () =>
    new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.2', port, path: '/version', ca: ca.certPem, servername: 'localhost', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end();
    });
  assert.equal(await version(), 200, 'accepted');
  assert.equal(await version(), 0, 'closed before TLS');
  assert.deepEqual(seen, ['127.0.0.1', '127.0.0.1']);
});

test('apiserver routes only list and watch across all namespaces: a DELETE or POST there is 405 and touches nothing', async (t) => {
  const { registry, call } = await startServer(t);
  registry.configmaps.create('default', { metadata: { name: 'keep' } });
  for (const method of ['DELETE', 'POST']) {
    const r = await call(method, '/api/v1/configmaps', method === 'POST' ? JSON.stringify({ metadata: { name: 'x', namespace: 'default' } }) : undefined);
    assert.equal(r.status, 405, method);
    assert.equal(r.body.reason, 'MethodNotAllowed', method);
  }
  assert.ok(registry.configmaps.find('default', 'keep'));
  assert.equal(registry.configmaps.find('default', 'x'), undefined);
  assert.equal((await call('GET', '/api/v1/configmaps')).status, 200);
});
