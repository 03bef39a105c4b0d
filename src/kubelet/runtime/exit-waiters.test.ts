import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExitWaiters } from './exit-waiters.ts';

test('ExitWaiters tells a waiter when its container exits, and no one else', () => {
  const w = new ExitWaiters(() => false);
  const told: string[] = [];
  w.wait('a', () => told.push('a'));
  w.wait('b', () => told.push('b'));
  w.exited('a');
  assert.deepEqual(told, ['a']);
});

test('ExitWaiters tells a waiter at once when the exit was seen before it asked', async () => {
  const seen = new Set(['a']);
  const w = new ExitWaiters((id) => seen.has(id));
  let told = 0;
  w.wait('a', () => told++);
  w.wait('b', () => told++);
  await Promise.resolve();
  assert.equal(told, 1);
});

test('ExitWaiters forgets a waiter that unsubscribed, even before the microtask ran', async () => {
  const w = new ExitWaiters(() => true);
  let told = 0;
  const stop = w.wait('a', () => told++);
  stop();
  await Promise.resolve();
  w.exited('a');
  assert.equal(told, 0);
  assert.equal(w.size, 0);
});
