/**
 * Encoding is decoding's inverse: every kind with a protobuf schema, from a
 * realistic fixture, comes back from protobuf as the JSON it went in as
 * (nulls aside: Go renders a zero Time as null, which protobuf carries as
 * absent), alone, in its list and in a watch frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGroups } from '../../api/groups.ts';
import { decodeKubernetesProtobuf, decodeWatchFrames, encodeKubernetesProtobuf, encodeWatchFrame, hasProtobufSchema, NotRepresentable } from './protobuf.ts';
import { protobufFixtures } from './protobuf-fixtures.ts';

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

/** Every kind berth serves with a protobuf schema, as `apiVersion kind`. */
function kindsWithSchema(): string[] {
  const out: string[] = [];
  for (const group of apiGroups) {
    for (const kind of group.kinds) {
      const { group: g, version, kind: k } = kind.info;
      const apiVersion = g ? `${g}/${version}` : version;
      if (hasProtobufSchema(apiVersion, k)) out.push(`${apiVersion} ${k}`);
    }
  }
  return out;
}

test('every kind of the groups berth serves has a protobuf schema, and those of core, apps, batch, discovery, events, storage and rbac a fixture here', () => {
  const kinds = kindsWithSchema();
  const all = apiGroups.flatMap((g) => g.kinds.map((k) => `${k.info.group ? `${k.info.group}/` : ''}${k.info.version} ${k.info.kind}`));
  assert.deepEqual(all.filter((k) => !kinds.includes(k)), []);
  const mine = ['', 'apps', 'batch', 'discovery.k8s.io', 'events.k8s.io', 'storage.k8s.io', 'rbac.authorization.k8s.io'];
  const served = apiGroups.filter((g) => mine.includes(g.name)).flatMap((g) => g.kinds.map((k) => `${k.info.group ? `${k.info.group}/` : ''}${k.info.version} ${k.info.kind}`));
  assert.deepEqual(served.filter((k) => !protobufFixtures[k]), []);
});

test('every kind with a schema and no fixture here round-trips its object meta', () => {
  for (const key of kindsWithSchema().filter((k) => !protobufFixtures[k])) {
    const [apiVersion, kind] = key.split(' ');
    const obj = { apiVersion, kind, metadata: { name: 'x', labels: { a: 'b' }, creationTimestamp: '2026-01-02T03:04:05Z' } };
    assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(obj)), obj, key);
  }
});

for (const [key, fixture] of Object.entries(protobufFixtures)) {
  test(`decode(encode(x)) is x for ${key}, alone, listed and watched`, () => {
    const expected = withoutNulls(fixture);
    assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(fixture)), expected);

    const [event] = decodeWatchFrames(encodeWatchFrame('MODIFIED', fixture));
    assert.deepEqual(event, { type: 'MODIFIED', object: expected });

    const { apiVersion, kind, ...item } = fixture;
    if (!hasProtobufSchema(String(apiVersion), `${kind}List`)) return; // Status, DeleteOptions: no list
    const list = { apiVersion, kind: `${kind}List`, metadata: { resourceVersion: '43', continue: 'abc', remainingItemCount: 0 }, items: [item, item] };
    assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(list)), withoutNulls(list));
  });
}

test('an empty list still has items, as Go renders a non-nil slice', () => {
  const empty = { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '9' }, items: [] };
  assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(empty)), empty);
});

test('encoding refuses a field the schema lacks, naming where it is', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', imagee: 'typo' }] } };
  assert.throws(() => encodeKubernetesProtobuf(pod), (err: unknown) => err instanceof NotRepresentable && err.path === 'spec.containers[0].imagee');
  // A watch frame leaves it out rather than fail a stream already promised as protobuf.
  const dropped: string[] = [];
  const [event] = decodeWatchFrames(encodeWatchFrame('ADDED', pod, (err) => dropped.push(err.path)));
  assert.deepEqual(dropped, ['spec.containers[0].imagee']);
  assert.deepEqual(event.object, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } });
});

test('MicroTime keeps microseconds and Time renders whole seconds, as Go marshals them', () => {
  const ev = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', creationTimestamp: '2026-01-02T03:04:05.123Z' }, eventTime: '2026-01-02T03:04:05.123456Z', reportingComponent: '', reportingInstance: '' };
  const back = decodeKubernetesProtobuf(encodeKubernetesProtobuf(ev)) as any;
  assert.equal(back.eventTime, '2026-01-02T03:04:05.123456Z');
  assert.equal(back.metadata.creationTimestamp, '2026-01-02T03:04:05Z');
});
