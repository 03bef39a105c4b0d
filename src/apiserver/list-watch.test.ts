/**
 * List and watch conventions against the in-process API server: limit and
 * continue, resourceVersion and resourceVersionMatch, the watch-list stream
 * and watch timeouts, with kube-apiserver v1.33's codes and texts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { Store } from '../store/store.ts';
import { Registry } from '../registry/registry.ts';
import { ApiServer } from './apiserver.ts';
import { watchTimeoutMs } from './verbs/watch.ts';
import { createCa, issueServerCert } from '../pki/pki.ts';

const token = 'test-token';
const ca = createCa('test-ca', Date.now());
const serving = issueServerCert(ca, { commonName: 'test', now: Date.now() });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

async function startServer(t: TestContext, retainRevisions = 10_000) {
  const store = new Store({
    file: ':memory:',
    retainRevisions,
    stampRevision: (v, rev) => {
      v.metadata ??= {};
      v.metadata.resourceVersion = String(rev);
    },
  });
  const registry = new Registry(store, { now: () => Date.parse('2026-01-01T00:00:00Z') });
  registry.bootstrap();
  const api = new ApiServer({ registry, token, tls: serving });
  const port = await api.start();
  t.after(async () => {
    await api.stop();
    store.stop();
  });
  const get = (path: string, accept = 'application/json') =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, method: 'GET', ca: ca.certPem, agent: false, headers: { Authorization: `Bearer ${token}`, Accept: accept } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: text.startsWith('{') && !text.includes('}\n{') ? JSON.parse(text) : undefined }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  const cm = (name: string) => registry.configmaps.create('default', { metadata: { name } });
  return { store, registry, get, cm };
}

const cms = '/api/v1/namespaces/default/configmaps';
const names = (r: Answer): string[] => r.body.items.map((o: any) => o.metadata.name);
const events = (r: Answer): any[] => r.text.split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('a limited list pages in key order, with remainingItemCount, every page at the first page\'s resourceVersion', async (t) => {
  const { get, cm, registry } = await startServer(t);
  for (const n of ['e', 'a', 'd', 'b', 'c']) cm(n);
  const first = await get(`${cms}?limit=2`);
  assert.equal(first.status, 200);
  assert.deepEqual(names(first), ['a', 'b']);
  assert.equal(first.body.metadata.remainingItemCount, 3);
  const rv = first.body.metadata.resourceVersion;
  const token = first.body.metadata.continue;
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()), { v: 'meta.k8s.io/v1', rv: Number(rv), start: 'b\u0000' });
  // Changes after the first page do not show in the later ones.
  registry.configmaps.delete('default', 'c');
  cm('bb');
  const second = await get(`${cms}?limit=2&continue=${token}`);
  assert.deepEqual(names(second), ['c', 'd']);
  assert.equal(second.body.metadata.resourceVersion, rv);
  assert.equal(second.body.metadata.remainingItemCount, 1);
  const last = await get(`${cms}?limit=2&continue=${second.body.metadata.continue}`);
  assert.deepEqual(names(last), ['e']);
  assert.equal(last.body.metadata.continue, undefined);
  assert.equal(last.body.metadata.remainingItemCount, undefined);
  // A fresh list sees the changes.
  assert.deepEqual(names(await get(cms)), ['a', 'b', 'bb', 'd', 'e']);
});

test('a limited list with a selector gives no remainingItemCount', async (t) => {
  const { get, registry } = await startServer(t);
  for (const n of ['a', 'b', 'c']) registry.configmaps.create('default', { metadata: { name: n, labels: { app: 'x' } } });
  const r = await get(`${cms}?limit=1&labelSelector=app%3Dx`);
  assert.deepEqual(names(r), ['a']);
  assert.ok(r.body.metadata.continue);
  assert.equal(r.body.metadata.remainingItemCount, undefined);
});

test('a Table list (kubectl get --chunk-size) carries the page\'s continue token', async (t) => {
  const { get, cm } = await startServer(t);
  for (const n of ['a', 'b', 'c']) cm(n);
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  const first = await get(`${cms}?limit=2`, accept);
  assert.equal(first.body.kind, 'Table');
  assert.deepEqual(first.body.rows.map((r: any) => r.cells[0]), ['a', 'b']);
  assert.equal(first.body.metadata.remainingItemCount, 1);
  const next = await get(`${cms}?limit=2&continue=${first.body.metadata.continue}`, accept);
  assert.deepEqual(next.body.rows.map((r: any) => r.cells[0]), ['c']);
  assert.equal(next.body.metadata.continue, undefined);
});

test('a tampered or malformed continue token is a 400 as kube-apiserver words it', async (t) => {
  const { get, cm } = await startServer(t);
  for (const n of ['a', 'b']) cm(n);
  const token: string = (await get(`${cms}?limit=1`)).body.metadata.continue;
  const forged = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 1, start: 'default/a\u0000' })).toString('base64url');
  for (const bad of [`${forged}.${token.split('.')[1]}`, forged, 'not-a-token']) {
    const r = await get(`${cms}?limit=1&continue=${bad}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.reason, 'BadRequest');
    assert.match(r.body.message, /^invalid continue token: continue key is not valid/);
  }
  const withRv = await get(`${cms}?limit=1&continue=${token}&resourceVersion=5`);
  assert.equal(withRv.status, 400);
  assert.equal(withRv.body.message, 'specifying resource version is not allowed when using continue');
});

test('a continue past compaction is a 410 Expired with a token that continues at the latest revision', async (t) => {
  const { get, cm, store } = await startServer(t, 1);
  for (const n of ['a', 'b', 'c']) cm(n);
  const first = await get(`${cms}?limit=1`);
  cm('d');
  cm('e');
  store.compact();
  const r = await get(`${cms}?limit=1&continue=${first.body.metadata.continue}`);
  assert.equal(r.status, 410);
  assert.equal(r.body.reason, 'Expired');
  assert.equal(
    r.body.message,
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
  const rest = await get(`${cms}?continue=${r.body.metadata.continue}`);
  assert.equal(rest.status, 200);
  assert.deepEqual(names(rest), ['b', 'c', 'd', 'e']);
  assert.equal(rest.body.metadata.resourceVersion, String(store.currentRevision()));
});

test('resourceVersionMatch: Exact reads a past revision, NotOlderThan the latest; a compacted one is 410', async (t) => {
  const { get, cm, store } = await startServer(t, 1);
  cm('a');
  const rv = store.currentRevision();
  cm('b');
  const exact = await get(`${cms}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
  assert.deepEqual(names(exact), ['a']);
  assert.equal(exact.body.metadata.resourceVersion, String(rv));
  // The legacy exact read: a resourceVersion with a limit and no match.
  assert.deepEqual(names(await get(`${cms}?resourceVersion=${rv}&limit=10`)), ['a']);
  assert.deepEqual(names(await get(`${cms}?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`)), ['a', 'b']);
  assert.deepEqual(names(await get(`${cms}?resourceVersion=${rv}`)), ['a', 'b']);
  cm('c');
  store.compact();
  const gone = await get(`${cms}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
  assert.equal(gone.status, 410);
  assert.equal(gone.body.reason, 'Expired');
  assert.equal(gone.body.message, 'The resourceVersion for the provided list is too old.');
});

test('a list at a future resourceVersion is a 504 Too large resource version with Retry-After', async (t) => {
  const { get, store } = await startServer(t);
  const current = store.currentRevision();
  for (const match of ['', '&resourceVersionMatch=NotOlderThan', '&resourceVersionMatch=Exact']) {
    const r = await get(`${cms}?resourceVersion=${current + 10}${match}`);
    assert.equal(r.status, 504);
    assert.equal(r.headers['retry-after'], '1');
    assert.deepEqual(r.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Timeout: Too large resource version: ${current + 10}, current: ${current}`,
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      code: 504,
    });
  }
});

test('invalid list and watch option combinations are a 422 on ListOptions', async (t) => {
  const { get } = await startServer(t);
  const cases: [string, string][] = [
    ['resourceVersionMatch=NotOlderThan', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'],
    ['resourceVersion=1&resourceVersionMatch=Bogus', 'resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""'],
    ['resourceVersion=0&resourceVersionMatch=Exact', 'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'],
    ['sendInitialEvents=true', 'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list'],
    ['watch=true&sendInitialEvents=true', 'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'],
    ['watch=true&resourceVersionMatch=NotOlderThan', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'],
    [
      'watch=true&sendInitialEvents=true&resourceVersionMatch=Exact',
      '[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
    ],
  ];
  for (const [query, detail] of cases) {
    const r = await get(`${cms}?${query}`);
    assert.equal(r.status, 422, query);
    assert.equal(r.body.reason, 'Invalid', query);
    assert.equal(r.body.message, `ListOptions.meta.k8s.io "" is invalid: ${detail}`, query);
    assert.equal(r.body.details.kind, 'ListOptions');
    assert.equal(r.body.details.group, 'meta.k8s.io');
  }
});

test('a watch-list sends ADDED events, then a BOOKMARK marking their end, then changes; timeoutSeconds ends it', async (t) => {
  const { get, cm, store } = await startServer(t);
  cm('a');
  cm('b');
  const rv = store.currentRevision();
  const started = Date.now();
  const r = await get(`${cms}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`);
  assert.ok(Date.now() - started >= 900, 'ended by timeoutSeconds');
  const got = events(r);
  assert.deepEqual(got.map((e) => [e.type, e.object.metadata.name ?? '']), [['ADDED', 'a'], ['ADDED', 'b'], ['BOOKMARK', '']]);
  assert.deepEqual(got[2].object, {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { resourceVersion: String(rv), annotations: { 'k8s.io/initial-events-end': 'true' } },
  });
  // Without bookmarks allowed, the initial events come without the marker.
  const plain = await get(`${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`);
  assert.deepEqual(events(plain).map((e) => e.type), ['ADDED', 'ADDED']);
  // sendInitialEvents=false starts at the latest state without them.
  const none = await get(`${cms}?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`);
  assert.deepEqual(events(none), []);
});

test('a watch-list not older than a future resourceVersion ends with a 504 ERROR event', async (t) => {
  const { get, store } = await startServer(t);
  const current = store.currentRevision();
  const r = await get(`${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=${current + 5}`);
  assert.equal(r.status, 200);
  const [e] = events(r);
  assert.equal(e.type, 'ERROR');
  assert.equal(e.object.code, 504);
  assert.equal(e.object.message, `Timeout: Too large resource version: ${current + 5}, current: ${current}`);
});

test('a watch without timeoutSeconds lasts between --min-request-timeout (1800 s) and twice that', () => {
  assert.equal(watchTimeoutMs(5), 5000);
  assert.equal(watchTimeoutMs(undefined, () => 0), 1_800_000);
  assert.equal(watchTimeoutMs(0, () => 0.999), 3_598_200);
  assert.equal(watchTimeoutMs(-1, () => 0.5), 2_700_000);
});
