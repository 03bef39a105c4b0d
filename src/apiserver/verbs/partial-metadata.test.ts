/**
 * `Accept: …;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1|v1beta1`, as
 * client-go's metadata client and metadata informers ask for it, against the
 * in-process API server: GET, LIST and WATCH in JSON and protobuf, and
 * kube-apiserver's 406 texts for a conversion that does not fit the verb.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type RawCall } from '../api-server-fixture.ts';
import { decodeKubernetesProtobuf, decodeWatchFrames, protobufMediaType } from '../protobuf/protobuf.ts';

/** What client-go's metadata client sends (metadata.go), for one object or a list. */
const metadataAccept = (as: string, v = 'v1') =>
  `${protobufMediaType};as=${as};g=meta.k8s.io;v=${v},application/json;as=${as};g=meta.k8s.io;v=${v},application/json`;
const jsonAccept = (as: string, v = 'v1') => `application/json;as=${as};g=meta.k8s.io;v=${v},application/json`;

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'x' } }, data: { secret: 'not in the answer' } });

/** Creates two ConfigMaps as a client with a User-Agent does (protobuf leaves an empty manager out). */
async function seed(raw: RawCall): Promise<void> {
  for (const name of ['a', 'b']) {
    const ans = await raw('POST', '/api/v1/namespaces/default/configmaps', { 'Content-Type': 'application/json', 'User-Agent': 'test/v1.33.0' }, JSON.stringify(cm(name)));
    assert.equal(ans.status, 201, ans.text);
  }
}

test('GET as PartialObjectMetadata answers the object\'s metadata alone, in JSON', async (t) => {
  const { raw } = await startApiServer(t);
  await seed(raw);
  const full = JSON.parse((await raw('GET', '/api/v1/namespaces/default/configmaps/a')).text);
  const ans = await raw('GET', '/api/v1/namespaces/default/configmaps/a', { Accept: jsonAccept('PartialObjectMetadata') });
  assert.equal(ans.status, 200);
  assert.equal(ans.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(ans.text), { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: full.metadata });
  const beta = await raw('GET', '/api/v1/namespaces/default/configmaps/a', { Accept: jsonAccept('PartialObjectMetadata', 'v1beta1') });
  assert.equal(JSON.parse(beta.text).apiVersion, 'meta.k8s.io/v1beta1');
  const yaml = await raw('GET', '/api/v1/namespaces/default/configmaps/a', { Accept: 'application/yaml;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' });
  assert.equal(yaml.headers['content-type'], 'application/yaml');
  assert.match(yaml.text, /^apiVersion: meta.k8s.io\/v1\nkind: PartialObjectMetadata\nmetadata:\n/);
  assert.doesNotMatch(yaml.text, /not in the answer/);
});

test('a Table asked for in meta.k8s.io/v1beta1 says that version', async (t) => {
  const { raw } = await startApiServer(t);
  await seed(raw);
  const ans = await raw('GET', '/api/v1/namespaces/default/configmaps', { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1beta1' });
  const table = JSON.parse(ans.text);
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal(table.rows.length, 2);
});

test('LIST as PartialObjectMetadataList answers ListMeta and PartialObjectMetadata items, in JSON', async (t) => {
  const { raw } = await startApiServer(t);
  await seed(raw);
  const full = JSON.parse((await raw('GET', '/api/v1/namespaces/default/configmaps?limit=1')).text);
  const ans = await raw('GET', '/api/v1/namespaces/default/configmaps?limit=1', { Accept: jsonAccept('PartialObjectMetadataList') });
  assert.equal(ans.status, 200);
  const body = JSON.parse(ans.text);
  assert.deepEqual(body, {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata: full.metadata,
    items: [{ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: full.items[0].metadata }],
  });
  assert.ok(body.metadata.continue, 'the page carries continue');
  // An empty list's items are Go's nil slice.
  const empty = await raw('GET', '/api/v1/namespaces/kube-public/configmaps?labelSelector=none%3Dx', { Accept: jsonAccept('PartialObjectMetadataList') });
  assert.equal(JSON.parse(empty.text).items, null);
});

test('GET and LIST as PartialObjectMetadata[List] answer protobuf when client-go asks for it first', async (t) => {
  const { raw } = await startApiServer(t);
  await seed(raw);
  const full = JSON.parse((await raw('GET', '/api/v1/namespaces/default/configmaps/a')).text);
  const one = await raw('GET', '/api/v1/namespaces/default/configmaps/a', { Accept: metadataAccept('PartialObjectMetadata') });
  assert.equal(one.status, 200);
  assert.equal(one.headers['content-type'], protobufMediaType);
  assert.deepEqual(decodeKubernetesProtobuf(one.bytes), { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: full.metadata });

  for (const v of ['v1', 'v1beta1']) {
    const list = await raw('GET', '/api/v1/namespaces/default/configmaps', { Accept: metadataAccept('PartialObjectMetadataList', v) });
    assert.equal(list.headers['content-type'], protobufMediaType);
    const decoded: any = decodeKubernetesProtobuf(list.bytes);
    assert.equal(decoded.apiVersion, `meta.k8s.io/${v}`);
    assert.equal(decoded.kind, 'PartialObjectMetadataList');
    assert.ok(decoded.metadata.resourceVersion);
    // In protobuf the items carry no type meta, only their metadata.
    assert.deepEqual(decoded.items.map((i: any) => i.metadata.name), ['a', 'b']);
    assert.deepEqual(decoded.items[0], { metadata: full.metadata });
  }
  const empty = await raw('GET', '/api/v1/namespaces/kube-public/configmaps?labelSelector=none%3Dx', { Accept: metadataAccept('PartialObjectMetadataList') });
  assert.equal(empty.headers['content-type'], protobufMediaType);
  assert.deepEqual((decodeKubernetesProtobuf(empty.bytes) as any).items, []);
});

test('a conversion that does not fit the verb is kube-apiserver\'s 406', async (t) => {
  const { raw } = await startApiServer(t);
  await seed(raw);
  const get = await raw('GET', '/api/v1/namespaces/default/configmaps/a', { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' });
  assert.equal(get.status, 406);
  assert.deepEqual(JSON.parse(get.text), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'you requested PartialObjectMetadataList, but the requested object is not a list (*core.ConfigMap)',
    reason: 'NotAcceptable',
    code: 406,
  });
  const list = await raw('GET', '/apis/apps/v1/namespaces/default/deployments', { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' });
  assert.equal(list.status, 406);
  assert.equal(JSON.parse(list.text).message, 'you requested PartialObjectMetadata, but the requested object is a list (*apps.DeploymentList)');
  // An unknown meta.k8s.io version is not a conversion the endpoint allows: the next clause answers.
  const other = await raw('GET', '/api/v1/namespaces/default/configmaps/a', { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v2, application/yaml' });
  assert.equal(other.headers['content-type'], 'application/yaml');
});

test('WATCH as PartialObjectMetadata streams metadata-only objects, in JSON and in protobuf', async (t) => {
  const { raw } = await startApiServer(t);
  await seed(raw);
  const path = '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&resourceVersion=0';
  const json = await raw('GET', path, { Accept: jsonAccept('PartialObjectMetadata') });
  assert.equal(json.status, 200);
  const events = json.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => [e.type, e.object.kind, e.object.apiVersion, e.object.metadata.name]), [
    ['ADDED', 'PartialObjectMetadata', 'meta.k8s.io/v1', 'a'],
    ['ADDED', 'PartialObjectMetadata', 'meta.k8s.io/v1', 'b'],
  ]);
  assert.equal(events[0].object.data, undefined);

  const proto = await raw('GET', path, { Accept: metadataAccept('PartialObjectMetadata') });
  assert.equal(proto.headers['content-type'], `${protobufMediaType};stream=watch`);
  const frames = decodeWatchFrames(proto.bytes);
  assert.deepEqual(frames.map((f) => [f.type, f.object.kind, f.object.apiVersion, (f.object.metadata as any).name]), [
    ['ADDED', 'PartialObjectMetadata', 'meta.k8s.io/v1', 'a'],
    ['ADDED', 'PartialObjectMetadata', 'meta.k8s.io/v1', 'b'],
  ]);
  assert.deepEqual(Object.keys(frames[0].object).sort(), ['apiVersion', 'kind', 'metadata']);

  // A list conversion of each event's object cannot be done: the objects go out as they are (watchEmbeddedEncoder).
  const asList = await raw('GET', path, { Accept: jsonAccept('PartialObjectMetadataList') });
  assert.equal(JSON.parse(asList.text.split('\n')[0]).object.kind, 'ConfigMap');
});
