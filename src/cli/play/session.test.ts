import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCa, issueServerCert } from '../../pki/pki.ts';
import { KubeClient } from '../kube/kube.ts';
import { PlaySession } from './session.ts';

test('PlaySession ends as interrupted at once when aborted while the API server does not answer', { timeout: 20_000 }, async (t) => {
  const ca = createCa('test-ca', Date.now());
  const serving = issueServerCert(ca, { commonName: 'test', now: Date.now() });
  const server = createServer({ cert: serving.certPem, key: serving.keyPem }, () => {
    // Never answers.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  const client = new KubeClient({ server: new URL(`https://127.0.0.1:${port}`), ca: Buffer.from(ca.certPem), insecure: false, namespace: 'default', context: 'test', source: 'test' });
  t.after(() => client.close());
  const ac = new AbortController();
  const notes: string[] = [];
  const session = new PlaySession({
    client,
    manifests: [{ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } }, source: 'p.yaml' }],
    namespace: 'default',
    quiet: true,
    timeoutMs: 60_000,
    signal: ac.signal,
    out: () => {},
    note: (l) => notes.push(l),
  });
  setTimeout(() => ac.abort(), 200);
  const started = performance.now();
  const result = await session.run();
  const ms = performance.now() - started;
  assert.deepEqual(result, { kind: 'interrupted' });
  assert.ok(ms < 5000, `run returned ${Math.round(ms)} ms after it started`);
  assert.match(notes.join('\n'), /^interrupted after /m);
});
