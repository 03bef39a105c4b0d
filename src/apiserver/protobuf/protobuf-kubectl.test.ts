/**
 * The client-go check: the real kubectl (a client-go program) reads berth's
 * protobuf answers. Its typed commands (`create deployment|configmap`,
 * `describe`) ask for protobuf first; with -v=8 it logs the Content-Type it
 * got, and what it prints was decoded by client-go from those bytes, so it
 * must agree with berth's JSON for the same object.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fixtureToken, startApiServer, type RawCall } from '../api-server-fixture.ts';

const kubectlBin = '/usr/bin/kubectl';
const run = promisify(execFile);

/** berth's JSON as kubectl prints an object: without managedFields (--show-managed-fields=false). */
function asPrinted(text: string): unknown {
  const obj = JSON.parse(text);
  delete obj.metadata.managedFields;
  return withoutNulls(obj);
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

async function create(raw: RawCall, path: string, obj: unknown): Promise<void> {
  const ans = await raw('POST', path, { 'Content-Type': 'application/json' }, JSON.stringify(obj));
  assert.equal(ans.status, 201, ans.text);
}

test('kubectl decodes berth protobuf answers to the objects berth renders as JSON', { skip: !existsSync(kubectlBin) && 'no kubectl' }, async (t) => {
  const { raw, port } = await startApiServer(t);
  const dir = mkdtempSync(join(tmpdir(), 'berth-pb-kubectl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: ${fixtureToken}}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
current-context: x
`,
  );
  const kubectl = (...args: string[]) => run(kubectlBin, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args]);
  const protobufAnswers = (log: string) => log.split('\n').filter((l) => /Content-Type: application\/vnd\.kubernetes\.protobuf/.test(l)).length;

  const created = await kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80', '-o', 'json', '-v=8');
  assert.ok(protobufAnswers(created.stderr) >= 1, 'kubectl got a protobuf answer to its create');
  const asJson = await raw('GET', '/apis/apps/v1/namespaces/default/deployments/web', { Accept: 'application/json' });
  assert.deepEqual(withoutNulls(JSON.parse(created.stdout)), asPrinted(asJson.text));

  const cm = await kubectl('create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=empty=', '-o', 'json', '-v=8');
  assert.ok(protobufAnswers(cm.stderr) >= 1);
  const cmJson = await raw('GET', '/api/v1/namespaces/default/configmaps/cfg', { Accept: 'application/json' });
  assert.deepEqual(withoutNulls(JSON.parse(cm.stdout)), asPrinted(cmJson.text));

  // describe reads the Deployment, its ReplicaSets and events through the typed client.
  const described = await kubectl('describe', 'deployment', 'web', '-v=8');
  assert.ok(protobufAnswers(described.stderr) >= 2, 'describe read protobuf');
  assert.match(described.stdout, /Replicas:\s+2 desired/);
  assert.match(described.stdout, /Image:\s+nginx:1\.27/);

  // kubectl events lists and then watches through the typed client: protobuf lists and watch frames.
  const event = (name: string, reason: string) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' },
    reason,
    message: `${reason} happened`,
    type: 'Normal',
    source: { component: 'test' },
    firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    count: 1,
  });
  await create(raw, '/api/v1/namespaces/default/events', event('e1', 'FirstReason'));
  const watcher = spawn(kubectlBin, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'events', '--watch', '-v=8']);
  t.after(() => watcher.kill());
  let out = '';
  let log = '';
  watcher.stdout.on('data', (d) => (out += d));
  watcher.stderr.on('data', (d) => (log += d));
  const until = async (what: () => boolean, label: string) => {
    for (let i = 0; i < 100 && !what(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(what(), `${label}: ${out}\n${log.slice(-2000)}`);
  };
  await until(() => out.includes('FirstReason'), 'the listed event');
  await until(() => /Content-Type: application\/vnd\.kubernetes\.protobuf;stream=watch/.test(log), 'a protobuf watch');
  await create(raw, '/api/v1/namespaces/default/events', event('e2', 'SecondReason'));
  await until(() => out.includes('SecondReason happened'), 'the watched event');

  // A typed client's 404 is a protobuf Status that client-go turns into kubectl's NotFound text.
  await assert.rejects(kubectl('describe', 'deployment', 'nope'), (err: { stderr: string }) => {
    assert.match(err.stderr, /deployments\.apps "nope" not found/);
    return true;
  });
});
