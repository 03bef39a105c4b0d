import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goJson, LAST_APPLIED_ANNOTATION, withLastApplied } from './apply.ts';

describe('goJson', () => {
  it('goJson sorts keys, escapes HTML characters and ends with a newline, as Go does', () => {
    assert.equal(goJson({ b: 1, a: { d: '<x&y>', c: [true, null] } }), '{"a":{"c":[true,null],"d":"\\u003cx\\u0026y\\u003e"},"b":1}\n');
  });
});

describe('withLastApplied', () => {
  it('withLastApplied records the manifest with empty annotations, as kubectl apply does', () => {
    const m = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } };
    const out = withLastApplied(m);
    assert.equal(
      out.metadata.annotations[LAST_APPLIED_ANNOTATION],
      '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"p","namespace":"default"},"spec":{"containers":[{"image":"busybox:1.35","name":"c"}]}}\n',
    );
    assert.equal((m.metadata as any).annotations, undefined, 'the input is not modified');
  });

  it('withLastApplied does not record an earlier last-applied annotation inside itself', () => {
    const m = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { [LAST_APPLIED_ANNOTATION]: 'old', keep: 'me' } } };
    const recorded = JSON.parse(withLastApplied(m).metadata.annotations[LAST_APPLIED_ANNOTATION]);
    assert.deepEqual(recorded.metadata.annotations, { keep: 'me' });
  });
});
