import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StartSlots } from './start-slots.ts';

const tick = () => new Promise((r) => setImmediate(r));

test('StartSlots runs at most size starts at once and the others in arrival order', async () => {
  const slots = new StartSlots(2);
  const order: string[] = [];
  const gates = new Map<string, () => void>();
  let running = 0;
  let most = 0;
  const start = (name: string) =>
    slots.run(async () => {
      running++;
      most = Math.max(most, running);
      order.push(name);
      await new Promise<void>((r) => gates.set(name, r));
      running--;
      return name;
    });
  const all = ['a', 'b', 'c', 'd', 'e'].map(start);
  await tick();
  assert.deepEqual(order, ['a', 'b']);
  assert.equal(slots.pending, 5);
  gates.get('b')!();
  await tick();
  await tick();
  assert.deepEqual(order, ['a', 'b', 'c']);
  gates.get('a')!();
  await tick();
  await tick();
  assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  for (const n of ['c', 'd']) gates.get(n)!();
  await tick();
  await tick();
  gates.get('e')!();
  assert.deepEqual(await Promise.all(all), ['a', 'b', 'c', 'd', 'e']);
  assert.equal(most, 2);
  assert.equal(slots.pending, 0);
});

test('StartSlots gives the slot back when a start fails', async () => {
  const slots = new StartSlots(1);
  await assert.rejects(slots.run(async () => Promise.reject(new Error('CNI failed'))), /CNI failed/);
  assert.equal(await slots.run(async () => 'next'), 'next');
  assert.equal(slots.pending, 0);
});

test('StartSlots defaults to twice the CPUs, at least 2', () => {
  assert.ok(new StartSlots().size >= 2);
  assert.throws(() => new StartSlots(0), /at least 1/);
});
