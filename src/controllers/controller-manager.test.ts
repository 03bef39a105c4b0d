import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Controller, ControllerDefinition } from './controller.ts';
import { controllerFixture } from './controller-fixture.ts';
import { ControllerManager } from './controller-manager.ts';

/** A controller that records its life and the namespaces it was handed. */
function probe(name: string, journal: string[]): ControllerDefinition {
  return {
    name,
    create({ informers }) {
      const namespaces = informers.forResource('namespaces');
      const seen: string[] = [];
      namespaces.addEventHandler({ add: (ns) => seen.push(ns.metadata?.name ?? '') });
      const c: Controller = {
        start() {
          journal.push(`start ${name} synced=${namespaces.hasSynced()} seen=${seen.length}`);
        },
        stop() {
          journal.push(`stop ${name}`);
        },
      };
      return c;
    },
  };
}

test('ControllerManager starts controllers after their informers synced, in table order, and stops them in reverse', async (t) => {
  const f = controllerFixture(t);
  const journal: string[] = [];
  const manager = await f.run([probe('first', journal), probe('second', journal)]);
  assert.deepEqual(manager.running, ['first', 'second']);
  assert.deepEqual(journal, ['start first synced=true seen=4', 'start second synced=true seen=4']);
  manager.stop();
  manager.stop();
  assert.deepEqual(journal.slice(2), ['stop second', 'stop first']);
  assert.deepEqual(manager.running, []);
});

test('ControllerManager shares one informer per resource between its controllers', async (t) => {
  const f = controllerFixture(t);
  const informers: unknown[] = [];
  const grab: ControllerDefinition = {
    name: 'grab',
    create(ctx) {
      informers.push(ctx.informers.forResource('pods'));
      return { start() {}, stop() {} };
    },
  };
  await f.run([grab, { ...grab, name: 'grab-again' }]);
  assert.equal(informers.length, 2);
  assert.equal(informers[0], informers[1]);
});

test('ControllerManager stopped while its caches sync starts no controller', async (t) => {
  const f = controllerFixture(t);
  const journal: string[] = [];
  const ac = new AbortController();
  const m = new ControllerManager({ client: f.client, definitions: [probe('late', journal)], nodeName: 'n', clock: f.clock });
  ac.abort(new Error('stopping'));
  await assert.rejects(m.start(ac.signal), /stopping/);
  assert.deepEqual(journal, []);
});
