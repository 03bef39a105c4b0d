/**
 * Protobuf answers over HTTP, against the in-process API server: what
 * client-go with ContentType protobuf asks for (`Accept:
 * application/vnd.kubernetes.protobuf, application/json`) decodes to what
 * the JSON answer says, for get, list, watch, create and errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type RawCall } from '../api-server-fixture.ts';
import { decodeKubernetesProtobuf, decodeWatchFrames, encodeKubernetesProtobuf, protobufMediaType } from './protobuf.ts';

const clientGoAccept = `${protobufMediaType}, application/json`;

/** A list's items carry no apiVersion and kind in protobuf (only the envelope does). */
function withoutItemTypeMeta(obj: any): any {
  if (!Array.isArray(obj.items)) return obj;
  return { ...obj, items: obj.items.map(({ apiVersion: _v, kind: _k, ...item }: any) => item) };
}

/** Creates `obj` as a client with a User-Agent does (its managedFields name a manager). */
async function create(raw: RawCall, path: string, obj: unknown): Promise<void> {
  const ans = await raw('POST', path, { 'Content-Type': 'application/json', 'User-Agent': 'test/v1.33.0' }, JSON.stringify(obj));
  assert.equal(ans.status, 201, ans.text);
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m' } } }] },
    },
  },
};

test('GET and LIST answer protobuf that decodes to the JSON answer when client-go asks for it', async (t) => {
  const { raw } = await startApiServer(t);
  await create(raw, '/apis/apps/v1/namespaces/default/deployments', deployment);
  await create(raw, '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1', empty: '' } });

  for (const path of [
    '/apis/apps/v1/namespaces/default/deployments/web',
    '/apis/apps/v1/namespaces/default/deployments',
    '/api/v1/namespaces/default/configmaps/cfg',
    '/api/v1/namespaces/default/configmaps',
    '/api/v1/namespaces/default',
  ]) {
    const json = await raw('GET', path, { Accept: 'application/json' });
    const proto = await raw('GET', path, { Accept: clientGoAccept });
    assert.equal(proto.status, 200, path);
    assert.equal(proto.headers['content-type'], protobufMediaType, path);
    assert.deepEqual(proto.bytes.subarray(0, 4), Buffer.from('k8s\0'), path);
    assert.deepEqual(decodeKubernetesProtobuf(proto.bytes), withoutItemTypeMeta(JSON.parse(json.text)), path);
  }
});

test('a 404 answers a protobuf Status and a Table request stays JSON', async (t) => {
  const { raw } = await startApiServer(t);
  const missing = await raw('GET', '/apis/apps/v1/namespaces/default/deployments/nope', { Accept: clientGoAccept });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['content-type'], protobufMediaType);
  assert.deepEqual(decodeKubernetesProtobuf(missing.bytes), {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message: 'deployments.apps "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', group: 'apps', kind: 'deployments' },
    code: 404,
  });
  // kubectl get: a Table as JSON, never protobuf.
  const table = await raw('GET', '/api/v1/namespaces', { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' });
  assert.equal(table.headers['content-type'], 'application/json');
  assert.equal(JSON.parse(table.text).kind, 'Table');
  // A Table in protobuf is not served (AllowsMediaTypeTransform): the object in JSON, as kube-apiserver falls back.
  const protoTable = await raw('GET', '/api/v1/namespaces', { Accept: `${protobufMediaType};as=Table;v=v1;g=meta.k8s.io` });
  assert.equal(protoTable.status, 200);
  assert.equal(protoTable.headers['content-type'], 'application/json');
  assert.equal(JSON.parse(protoTable.text).kind, 'NamespaceList');
});

test('a protobuf create answers the created object in protobuf', async (t) => {
  const { raw } = await startApiServer(t);
  const body = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pb' }, data: { k: 'v' } });
  const created = await raw(
    'POST',
    '/api/v1/namespaces/default/configmaps',
    { Accept: clientGoAccept, 'Content-Type': protobufMediaType },
    body,
  );
  assert.equal(created.status, 201);
  assert.equal(created.headers['content-type'], protobufMediaType);
  const obj = decodeKubernetesProtobuf(created.bytes) as any;
  assert.equal(obj.metadata.name, 'pb');
  assert.deepEqual(obj.data, { k: 'v' });
  assert.ok(obj.metadata.uid && obj.metadata.resourceVersion && obj.metadata.creationTimestamp);
});

test('WATCH streams length-prefixed protobuf WatchEvents carrying the objects of the JSON stream', async (t) => {
  const { raw } = await startApiServer(t);
  await create(raw, '/apis/apps/v1/namespaces/default/deployments', deployment);
  const path = '/apis/apps/v1/namespaces/default/deployments?watch=1&timeoutSeconds=1&resourceVersion=0';
  const [json, proto] = await Promise.all([raw('GET', path, { Accept: 'application/json' }), raw('GET', path, { Accept: clientGoAccept })]);
  assert.equal(proto.headers['content-type'], `${protobufMediaType};stream=watch`);
  const jsonEvents = json.text.trim().split('\n').map((l) => JSON.parse(l));
  const frames = decodeWatchFrames(proto.bytes);
  assert.equal(frames.length, 1);
  assert.deepEqual(frames, jsonEvents);
  assert.equal(frames[0].type, 'ADDED');
  assert.equal(proto.bytes.readUInt32BE(0), proto.bytes.length - 4);
});

test('subresources and deletes speak protobuf both ways: scale, pods/binding and DeleteOptions bodies', async (t) => {
  const { raw } = await startApiServer(t);
  await create(raw, '/apis/apps/v1/namespaces/default/deployments', deployment);
  const proto = { Accept: clientGoAccept, 'Content-Type': protobufMediaType };

  const scalePath = '/apis/apps/v1/namespaces/default/deployments/web/scale';
  const scale = await raw('GET', scalePath, { Accept: clientGoAccept });
  assert.equal(scale.headers['content-type'], protobufMediaType);
  const current = decodeKubernetesProtobuf(scale.bytes) as any;
  assert.equal(current.kind, 'Scale');
  assert.equal(current.apiVersion, 'autoscaling/v1');
  assert.equal(current.spec.replicas, 2);
  const scaled = await raw('PUT', scalePath, proto, encodeKubernetesProtobuf({ ...current, spec: { replicas: 5 } }));
  assert.equal(scaled.status, 200, scaled.text);
  assert.equal((decodeKubernetesProtobuf(scaled.bytes) as any).spec.replicas, 5);

  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } };
  await create(raw, '/api/v1/namespaces/default/pods', pod);
  const binding = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'berth' } });
  const bound = await raw('POST', '/api/v1/namespaces/default/pods/p/binding', proto, binding);
  assert.equal(bound.status, 201, bound.text);
  assert.deepEqual(decodeKubernetesProtobuf(bound.bytes), { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success' });
  const boundPod = await raw('GET', '/api/v1/namespaces/default/pods/p', { Accept: clientGoAccept });
  assert.equal((decodeKubernetesProtobuf(boundPod.bytes) as any).spec.nodeName, 'berth');

  // client-go encodes DeleteOptions in the group version it talks to.
  const options = encodeKubernetesProtobuf({ apiVersion: 'apps/v1', kind: 'DeleteOptions', propagationPolicy: 'Orphan', gracePeriodSeconds: 0 });
  const deleted = await raw('DELETE', '/apis/apps/v1/namespaces/default/deployments/web', proto, options);
  assert.equal(deleted.status, 200, deleted.text);
  assert.equal(deleted.headers['content-type'], protobufMediaType);
  const gone = await raw('GET', '/apis/apps/v1/namespaces/default/deployments/web', { Accept: clientGoAccept });
  const after = decodeKubernetesProtobuf(gone.bytes) as any;
  // Orphan (read from the protobuf body) holds the object with the orphan finalizer for the garbage collector.
  assert.equal(gone.status, 200);
  assert.deepEqual(after.metadata.finalizers, ['orphan']);
  assert.ok(after.metadata.deletionTimestamp);
});
