/**
 * A protobuf create or update body that is not of the endpoint's kind (or
 * that berth cannot decode into it) is kube-apiserver's 400, worded as its
 * protobuf serializer and transformDecodeError word it, against the
 * in-process API server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type RawCall } from '../api-server-fixture.ts';
import { encodeKubernetesProtobuf, protobufMediaType, summarizeData } from './protobuf.ts';
import { protoRoot, wellKnown } from './schema.ts';

/** An enveloped body whose type meta and message bytes are given as they are. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  protoRoot();
  const unknown = wellKnown.unknown();
  const bytes = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), bytes]);
}

const post = (raw: RawCall, path: string, body: Buffer | string) => raw('POST', path, { 'Content-Type': protobufMediaType, Accept: 'application/json' }, body);

async function badRequest(raw: RawCall, path: string, body: Buffer | string): Promise<string> {
  const ans = await post(raw, path, body);
  assert.equal(ans.status, 400, ans.text);
  const status = JSON.parse(ans.text);
  assert.equal(status.reason, 'BadRequest');
  return status.message;
}

test('a protobuf body of another kind is a 400 "cannot be handled as a" the endpoint\'s kind', async (t) => {
  const { raw } = await startApiServer(t);
  const configMap = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  assert.equal(
    await badRequest(raw, '/api/v1/namespaces/default/pods', configMap),
    'ConfigMap in version "v1" cannot be handled as a Pod: converting (v1.ConfigMap) to (core.Pod): unknown conversion',
  );
  const deployment = encodeKubernetesProtobuf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } });
  assert.equal(
    await badRequest(raw, '/api/v1/namespaces/default/configmaps', deployment),
    'Deployment in version "v1" cannot be handled as a ConfigMap: converting (v1.Deployment) to (core.ConfigMap): unknown conversion',
  );
  assert.equal(
    await badRequest(raw, '/apis/apps/v1/namespaces/default/deployments', configMap),
    'ConfigMap in version "v1" cannot be handled as a Deployment: converting (v1.ConfigMap) to (apps.Deployment): unknown conversion',
  );
});

test('a protobuf body of a kind nobody registers is a 400 naming the scheme', async (t) => {
  const { raw } = await startApiServer(t);
  const body = envelope('v1', 'NoSuchOne', new Uint8Array());
  assert.equal(
    await badRequest(raw, '/api/v1/namespaces', body),
    'NoSuchOne in version "v1" cannot be handled as a Namespace: no kind "NoSuchOne" is registered for version "v1" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"',
  );
});

test('a body that is not protobuf, or whose message does not decode, is a 400 too', async (t) => {
  const { raw } = await startApiServer(t);
  const json = '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"j"}}';
  assert.equal(
    await badRequest(raw, '/api/v1/namespaces/default/configmaps', json),
    'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"ConfigMap","apiVersio ...)',
  );
  // Field 1 (metadata) announces 127 bytes that are not there.
  const truncated = envelope('v1', 'ConfigMap', Uint8Array.from([0x0a, 0x7f]));
  assert.match(await badRequest(raw, '/api/v1/namespaces/default/configmaps', truncated), /^ConfigMap in version "v1" cannot be handled as a ConfigMap: .+/);
});

test('an envelope without kind and apiVersion takes the endpoint\'s, as the default GroupVersionKind', async (t) => {
  const { raw } = await startApiServer(t);
  const message = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bare' }, data: { a: '1' } });
  // Re-envelope the ConfigMap's message bytes with empty type meta.
  protoRoot();
  const unknown = wellKnown.unknown();
  const inner = (unknown.toObject(unknown.decode(message.subarray(4))) as { raw: Uint8Array }).raw;
  const ans = await post(raw, '/api/v1/namespaces/default/configmaps', envelope('', '', inner));
  assert.equal(ans.status, 201, ans.text);
  assert.deepEqual(JSON.parse(ans.text).data, { a: '1' });
});

test('summarizeData shows JSON as text and anything else in hex, cut past 30 bytes', () => {
  assert.equal(summarizeData(Buffer.alloc(0)), '<empty>');
  assert.equal(summarizeData(Buffer.from('{"a":1}')), '{"a":1}');
  assert.equal(summarizeData(Buffer.from('k8s\0')), '6b387300');
  // The length is judged in bytes, the cut made in hex digits.
  assert.equal(summarizeData(Buffer.alloc(20, 0xab)), 'ab'.repeat(20));
  assert.equal(summarizeData(Buffer.alloc(31, 0xab)), `${'ab'.repeat(15)} ...`);
});
