import { test } from 'node:test';
import assert from 'node:assert/strict';
import { own, setOwn } from './json-object.ts';

test('own answers undefined for a key only Object.prototype has', () => {
  const o: Record<string, unknown> = JSON.parse('{"a":1,"__proto__":2}');
  assert.equal(own(o, 'a'), 1);
  assert.equal(own(o, '__proto__'), 2);
  for (const k of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) assert.equal(own(o, k), undefined, k);
  assert.equal(own({}, '__proto__'), undefined);
  assert.equal(own(undefined, 'a'), undefined);
});

test('setOwn stores __proto__ and constructor as keys when the object has neither', () => {
  const o: Record<string, unknown> = {};
  setOwn(o, '__proto__', { polluted: 'yes' });
  setOwn(o, 'constructor', 'c');
  assert.equal(Object.getPrototypeOf(o), Object.prototype);
  assert.deepEqual(Object.keys(o), ['__proto__', 'constructor']);
  assert.equal(JSON.stringify(o), '{"__proto__":{"polluted":"yes"},"constructor":"c"}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  setOwn(o, '__proto__', 'replaced');
  assert.equal(own(o, '__proto__'), 'replaced');
});

test('decoded __proto__ keys survive structuredClone and spread but not Object.assign', () => {
  const o: Record<string, unknown> = JSON.parse('{"__proto__":{"polluted":"yes"}}');
  assert.deepEqual(Object.keys(structuredClone(o)), ['__proto__']);
  assert.deepEqual(Object.keys({ ...o }), ['__proto__']);
  const assigned: Record<string, unknown> = Object.assign({}, o);
  assert.deepEqual(Object.keys(assigned), []);
  assert.equal(assigned.polluted, 'yes', 'Object.assign changed the prototype instead');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
