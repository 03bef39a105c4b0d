import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../errors.ts';
import { jsonMergePatch, jsonPatch } from './patch.ts';

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

describe('jsonMergePatch', () => {
  // RFC 7386 appendix A, restricted to object targets and patches (what a PATCH body can be).
  const cases: [object, unknown, object][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  cases.forEach(([target, patch, want], i) => {
    it(`jsonMergePatch applies RFC 7386 example ${i + 1}`, () => {
      assert.deepEqual(jsonMergePatch(target, patch), want);
    });
  });

  it('jsonMergePatch replaces lists whole, including pod containers', () => {
    const pod = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
    assert.deepEqual(jsonMergePatch(pod, { spec: { containers: [{ name: 'a', image: 'z' }] } }), {
      spec: { containers: [{ name: 'a', image: 'z' }] },
    });
  });

  it('jsonMergePatch leaves the original untouched', () => {
    const original = { metadata: { labels: { a: '1' } } };
    jsonMergePatch(original, { metadata: { labels: { a: null } } });
    assert.deepEqual(original, { metadata: { labels: { a: '1' } } });
  });

  it('jsonMergePatch answers 400 when the body is not an object', () => {
    const err = apiError(() => jsonMergePatch({}, ['x']));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
  });
});

describe('jsonPatch', () => {
  const doc = () => ({
    metadata: { name: 'kubia', labels: { app: 'kubia', 'a/b': 'slash', 'c~d': 'tilde' } },
    spec: { containers: [{ name: 'a', args: ['x', 'y'] }] },
  });

  const cases: { name: string; ops: object[]; want: object }[] = [
    {
      name: 'adds an object member',
      ops: [{ op: 'add', path: '/metadata/labels/tier', value: 'web' }],
      want: { ...doc(), metadata: { ...doc().metadata, labels: { ...doc().metadata.labels, tier: 'web' } } },
    },
    {
      name: 'appends to an array with -',
      ops: [{ op: 'add', path: '/spec/containers/0/args/-', value: 'z' }],
      want: { ...doc(), spec: { containers: [{ name: 'a', args: ['x', 'y', 'z'] }] } },
    },
    {
      name: 'inserts into an array at an index',
      ops: [{ op: 'add', path: '/spec/containers/0/args/1', value: 'mid' }],
      want: { ...doc(), spec: { containers: [{ name: 'a', args: ['x', 'mid', 'y'] }] } },
    },
    {
      name: 'replaces through a negative index as evanphx/json-patch allows',
      ops: [{ op: 'replace', path: '/spec/containers/0/args/-1', value: 'last' }],
      want: { ...doc(), spec: { containers: [{ name: 'a', args: ['x', 'last'] }] } },
    },
    {
      name: 'removes escaped keys (~1 is /, ~0 is ~)',
      ops: [
        { op: 'remove', path: '/metadata/labels/a~1b' },
        { op: 'remove', path: '/metadata/labels/c~0d' },
      ],
      want: { ...doc(), metadata: { name: 'kubia', labels: { app: 'kubia' } } },
    },
    {
      name: 'moves and copies values',
      ops: [
        { op: 'copy', from: '/metadata/name', path: '/metadata/labels/name' },
        { op: 'move', from: '/spec/containers/0/args', path: '/spec/containers/0/command' },
      ],
      want: {
        metadata: { name: 'kubia', labels: { ...doc().metadata.labels, name: 'kubia' } },
        spec: { containers: [{ name: 'a', command: ['x', 'y'] }] },
      },
    },
    {
      name: 'passes a test that matches, then applies the next operation',
      ops: [
        { op: 'test', path: '/spec/containers/0/args', value: ['x', 'y'] },
        { op: 'test', path: '/metadata/missing', value: null },
        { op: 'replace', path: '/metadata/name', value: 'renamed' },
      ],
      want: { ...doc(), metadata: { ...doc().metadata, name: 'renamed' } },
    },
  ];
  for (const c of cases) {
    it(`jsonPatch ${c.name}`, () => {
      assert.deepEqual(jsonPatch(doc(), c.ops), c.want);
    });
  }

  const failures: { name: string; ops: object[] }[] = [
    { name: 'removing a missing path', ops: [{ op: 'remove', path: '/metadata/labels/nope' }] },
    { name: 'replacing a missing key', ops: [{ op: 'replace', path: '/metadata/nope', value: 1 }] },
    { name: 'adding under a missing parent', ops: [{ op: 'add', path: '/status/phase', value: 'Running' }] },
    { name: 'an index past the end', ops: [{ op: 'add', path: '/spec/containers/0/args/5', value: 'z' }] },
    { name: 'a failed test', ops: [{ op: 'test', path: '/metadata/name', value: 'other' }] },
    { name: 'an unknown op', ops: [{ op: 'frobnicate', path: '/metadata' }] },
    { name: 'moving a value into its own child', ops: [{ op: 'move', from: '/metadata', path: '/metadata/labels/x' }] },
  ];
  for (const f of failures) {
    it(`jsonPatch answers kube-apiserver's generic 422 for ${f.name}`, () => {
      const original = doc();
      const err = apiError(() => jsonPatch(original, f.ops));
      assert.equal(err.code, 422);
      assert.equal(err.reason, 'Invalid');
      assert.equal(err.message, 'the server rejected our request due to an error in our request');
      assert.deepEqual(err.toStatus().details, {});
      assert.ok(err.cause instanceof Error, 'keeps the library reason as the cause');
      assert.deepEqual(original, doc(), 'the original is untouched');
    });
  }

  it('jsonPatch applies nothing when a later operation fails', () => {
    const original = doc();
    apiError(() => jsonPatch(original, [{ op: 'replace', path: '/metadata/name', value: 'x' }, { op: 'remove', path: '/nope' }]));
    assert.equal(original.metadata.name, 'kubia');
  });

  it('jsonPatch answers 400 when the body is not a list of operation objects', () => {
    assert.equal(apiError(() => jsonPatch(doc(), { op: 'add' })).message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    assert.equal(apiError(() => jsonPatch(doc(), [1])).message, 'json: cannot unmarshal number into Go value of type jsonpatch.Operation');
    assert.equal(apiError(() => jsonPatch(doc(), 'x')).code, 400);
  });

  it('jsonPatch answers 413 beyond 10000 operations', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/metadata/name', value: 'kubia' }));
    const err = apiError(() => jsonPatch(doc(), ops));
    assert.equal(err.code, 413);
    assert.equal(err.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  });
});
