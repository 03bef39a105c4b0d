/**
 * Keys named like JavaScript properties, through the real HTTP API: a
 * ConfigMap with keys `valueOf` and `constructor` is an ordinary ConfigMap,
 * an unknown field `constructor` is reported as any unknown field, and a
 * merge patch with a `__proto__` key stores a key and pollutes nothing.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type Call } from './api-server-fixture.ts';

async function startServer(t: TestContext): Promise<Call> {
  return (await startApiServer(t)).call;
}

test('apiserver creates and reads back a configmap whose keys are valueOf and constructor', async (t) => {
  const call = await startServer(t);
  const body = '{"metadata":{"name":"js-names"},"data":{"valueOf":"one","constructor":"two","__proto__":"three","toString":"four"}}';

  const created = await call('POST', '/api/v1/namespaces/default/configmaps', body);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const read = await call('GET', '/api/v1/namespaces/default/configmaps/js-names');
  assert.equal(read.status, 200);
  assert.deepEqual(Object.entries(read.body.data), [
    ['valueOf', 'one'],
    ['constructor', 'two'],
    ['__proto__', 'three'],
    ['toString', 'four'],
  ]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('apiserver reports an unknown pod field constructor exactly as an unknown field foo', async (t) => {
  const call = await startServer(t);
  const podWith = (name: string, field: string) =>
    `{"metadata":{"name":"${name}"},"spec":{"${field}":{"polluted":"yes"},"containers":[{"name":"c","image":"busybox:1.35"}]}}`;

  for (const field of ['foo', 'constructor', 'toString', 'hasOwnProperty', '__proto__']) {
    const strict = await call('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', podWith('p', field));
    assert.equal(strict.status, 400, field);
    assert.equal(strict.body.reason, 'BadRequest', field);
    assert.equal(strict.body.message, `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.${field}"`);

    const warned = await call('POST', '/api/v1/namespaces/default/pods?fieldValidation=Warn&dryRun=All', podWith('p', field));
    assert.equal(warned.status, 201, `${field}: ${JSON.stringify(warned.body)}`);
    assert.deepEqual(warned.warnings, [`299 - "unknown field \\"spec.${field}\\""`], field);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('apiserver stores a __proto__ data key of a merge patch as a key, drops a __proto__ unknown field, and leaves Object.prototype alone', async (t) => {
  const call = await startServer(t);
  assert.equal((await call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":"c"},"data":{"a":"b"}}')).status, 201);

  const patched = await call('PATCH', '/api/v1/namespaces/default/configmaps/c', '{"data":{"__proto__":"x"},"__proto__":{"polluted":"yes"}}', 'application/merge-patch+json');
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.deepEqual(Object.entries(patched.body.data), [
    ['a', 'b'],
    ['__proto__', 'x'],
  ]);
  // A top-level __proto__ is an unknown field of ConfigMap: dropped, like any other.
  assert.equal(Object.hasOwn(patched.body, '__proto__'), false);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
