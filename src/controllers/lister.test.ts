import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/api.ts';
import { controllerIndex, indexByController, indexByNamespace, Indexer, namespaceIndex } from './indexer.ts';
import { selectorFromSet } from './label-selector.ts';
import { Lister } from './lister.ts';

function lister(): Lister<Pod> {
  const ix = new Indexer<Pod>({ [namespaceIndex]: indexByNamespace, [controllerIndex]: indexByController });
  const add = (ns: string, name: string, labels: Record<string, string>, owner?: string) =>
    ix.set(`${ns}/${name}`, {
      metadata: {
        namespace: ns,
        name,
        labels,
        ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] } : {}),
      },
    });
  add('a', 'web-1', { app: 'web' }, 'rs-uid');
  add('a', 'web-2', { app: 'web', canary: 'true' }, 'rs-uid');
  add('a', 'db', { app: 'db' });
  add('b', 'web-3', { app: 'web' });
  return new Lister(ix);
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name).sort();

test('Lister gets by namespace and name', () => {
  const l = lister();
  assert.equal(l.get('a', 'db')?.metadata?.name, 'db');
  assert.equal(l.get('b', 'db'), undefined);
});

test('Lister lists by namespace, by controller UID and by label selector', () => {
  const l = lister();
  assert.deepEqual(names(l.list()), ['db', 'web-1', 'web-2', 'web-3']);
  assert.deepEqual(names(l.list(selectorFromSet({ app: 'web' }))), ['web-1', 'web-2', 'web-3']);
  assert.deepEqual(names(l.listInNamespace('a')), ['db', 'web-1', 'web-2']);
  assert.deepEqual(names(l.listInNamespace('a', selectorFromSet({ canary: 'true' }))), ['web-2']);
  assert.deepEqual(names(l.listByController('rs-uid')), ['web-1', 'web-2']);
  assert.deepEqual(names(l.listByController('other')), []);
});
