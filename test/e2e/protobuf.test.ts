/**
 * Protobuf answers with a real node's objects (issue 14): a Deployment, a
 * Service and a Job run to completion, then every resource berth serves is
 * listed as client-go asks (`Accept: application/vnd.kubernetes.protobuf`),
 * and each list — pods with the node agent's status, the Node, events of both
 * APIs, Endpoints and EndpointSlices, RBAC, … — must come back in protobuf
 * (not the JSON fallback for an object its schema cannot carry) and decode to
 * the JSON answer; a pod watch replays the same pods as protobuf frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';
import { BerthNode } from './harness.ts';
import { decodeKubernetesProtobuf, decodeWatchFrames } from '../../src/apiserver/protobuf/protobuf.ts';

const protobuf = 'application/vnd.kubernetes.protobuf';

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

/** A list as protobuf carries it: its items without apiVersion and kind (only the envelope has them). */
function asProtobufList(list: any): unknown {
  return withoutNulls({ ...list, items: list.items.map(({ apiVersion: _v, kind: _k, ...item }: any) => item) });
}

const resources = [
  '/api/v1/pods',
  '/api/v1/nodes',
  '/api/v1/events',
  '/api/v1/endpoints',
  '/api/v1/services',
  '/api/v1/serviceaccounts',
  '/api/v1/namespaces',
  '/api/v1/configmaps',
  '/api/v1/secrets',
  '/api/v1/persistentvolumes',
  '/api/v1/persistentvolumeclaims',
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/replicasets',
  '/apis/apps/v1/controllerrevisions',
  '/apis/apps/v1/daemonsets',
  '/apis/apps/v1/statefulsets',
  '/apis/batch/v1/jobs',
  '/apis/batch/v1/cronjobs',
  '/apis/discovery.k8s.io/v1/endpointslices',
  '/apis/events.k8s.io/v1/events',
  '/apis/storage.k8s.io/v1/storageclasses',
  '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  '/apis/rbac.authorization.k8s.io/v1/roles',
  '/apis/rbac.authorization.k8s.io/v1/rolebindings',
];

test('a real node answers every resource in protobuf that decodes to its JSON', async (t) => {
  const node = await BerthNode.start(t);
  const kubeconfig = parse(readFileSync(node.kubeconfig, 'utf8'));
  const cluster = kubeconfig.clusters[0].cluster;
  const user = kubeconfig.users[0].user;
  const server = new URL(cluster.server);
  const b64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64') : undefined);
  const get = (path: string, accept: string) =>
    new Promise<{ contentType: string; body: Buffer }>((resolve, reject) => {
      const headers: Record<string, string> = { Accept: accept, ...(user.token ? { Authorization: `Bearer ${user.token}` } : {}) };
      const options = {
        host: server.hostname,
        port: server.port,
        path,
        headers,
        ca: b64(cluster['certificate-authority-data']),
        cert: b64(user['client-certificate-data']),
        key: b64(user['client-key-data']),
      };
      const req = request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ contentType: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  await node.k('create', 'deployment', 'web', '--image=busybox:1.35', '--', 'sh', '-c', 'sleep 3600');
  try {
    await node.k('expose', 'deployment', 'web', '--port=80');
    await node.k('create', 'job', 'once', '--image=busybox:1.35', '--', 'echo', 'hi');
    await node.k('wait', '--for=condition=Available', 'deployment/web', '--timeout=90s');
    await node.k('wait', '--for=condition=Complete', 'job/once', '--timeout=90s');

    const wrong: string[] = [];
    for (const path of resources) {
      // The node keeps writing (status, events): compare answers of the same snapshot (list resourceVersion).
      let pb = await get(path, protobuf);
      let json = JSON.parse((await get(path, 'application/json')).body.toString('utf8'));
      for (let i = 0; i < 20 && pb.contentType === protobuf && (decodeKubernetesProtobuf(pb.body) as any).metadata?.resourceVersion !== json.metadata?.resourceVersion; i++) {
        pb = await get(path, protobuf);
        json = JSON.parse((await get(path, 'application/json')).body.toString('utf8'));
      }
      if (pb.contentType !== protobuf) {
        wrong.push(`${path} answered ${pb.contentType}`);
        continue;
      }
      try {
        assert.deepEqual(withoutNulls(decodeKubernetesProtobuf(pb.body)), asProtobufList(json));
      } catch (err) {
        wrong.push(`${path}: ${(err as Error).message.slice(0, 2000)}`);
      }
    }
    assert.deepEqual(wrong, []);

    // A watch from resourceVersion 0 replays the pods as ADDED frames, the same objects as the JSON stream.
    const watch = '/api/v1/namespaces/default/pods?watch=1&resourceVersion=0&timeoutSeconds=1';
    const [frames, lines] = await Promise.all([get(watch, protobuf), get(watch, 'application/json')]);
    assert.equal(frames.contentType, `${protobuf};stream=watch`);
    const jsonEvents = lines.body.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    const events = decodeWatchFrames(frames.body);
    assert.ok(events.length >= 2, 'the web pod and the job pod');
    assert.deepEqual(events.map((e) => e.type), jsonEvents.map((e) => e.type));
    assert.deepEqual(
      events.map((e) => (e.object as any).metadata.name),
      jsonEvents.map((e) => e.object.metadata.name),
    );
    // Where both streams caught a pod at the same version, the objects are the same.
    const same = events.filter((e, i) => (e.object as any).metadata.resourceVersion === jsonEvents[i].object.metadata.resourceVersion);
    assert.ok(same.length > 0);
    for (const e of same) {
      const j = jsonEvents.find((x) => x.object.metadata.name === (e.object as any).metadata.name);
      assert.deepEqual(withoutNulls(e.object), withoutNulls(j.object));
    }
  } finally {
    // Workloads go first, so that no controller recreates a pod while the node is torn down.
    await node.kubectl(['delete', 'deployment', 'web', '--wait=true']);
    await node.kubectl(['delete', 'job', 'once', '--wait=true']);
  }
});
