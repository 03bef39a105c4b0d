import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { errors, rfc3339 } from '../../api/api.ts';
import type { ControllerClient } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { controllerFixture, type ControllerFixture } from '../controller-fixture.ts';
import { Indexer } from '../indexer.ts';
import { Lister } from '../lister.ts';
import { PodControl } from '../pod-template.ts';
import { EventRecorder } from '../../client/client.ts';
import { replicaSetController } from './replicaset.ts';
import { ReplicaSetSync } from './sync.ts';
import { UidTrackingExpectations } from './uid-expectations.ts';

const ns = 'default';

function rsSpec(name: string, replicas: number, extra: Partial<ReplicaSet['spec']> = {}, meta: Partial<ReplicaSet['metadata']> = {}): ReplicaSet {
  return {
    metadata: { name, namespace: ns, ...meta },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'front' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...extra,
    },
  } as ReplicaSet;
}

function helpers(f: ControllerFixture) {
  const rss = f.client.resource('replicasets');
  const pods = f.client.resource('pods');
  return {
    rss,
    pods,
    rs: (name: string) => rss.get(ns, name)!,
    /** Pods not being deleted, by name. */
    live: () =>
      pods
        .list(ns)
        .items.filter((p) => !p.metadata?.deletionTimestamp)
        .sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!)),
    events: () => f.registry.events.list(ns).items.map((e) => [e.type, e.reason, e.message]),
    scale: async (name: string, replicas: number) => {
      const cur = rss.get(ns, name)!;
      rss.update(ns, { ...cur, spec: { ...cur.spec!, replicas } });
      await f.clock.settle();
    },
    setStatus: async (pod: Pod, status: PodStatus) => {
      f.client.pods.updateStatus(ns, pod.metadata!.name!, pod.metadata!.uid!, status);
      await f.clock.settle();
    },
    ready: (sinceMs: number): PodStatus => ({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(sinceMs) }],
    }),
  };
}

test('replicaset creates the missing pods from the template, named <rs>-xxxxx and controlled by the set', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  const rs = h.rss.create(ns, rsSpec('web', 3));
  await f.run([replicaSetController]);
  const pods = h.live();
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.metadata!.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(p.metadata!.generateName, 'web-');
    assert.deepEqual(p.metadata!.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(p.metadata!.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
  }
  assert.deepEqual(
    h.events().sort(),
    pods.map((p) => ['Normal', 'SuccessfulCreate', `Created pod: ${p.metadata!.name}`]).sort(),
  );
  const ev = f.registry.events.list(ns).items[0];
  assert.equal(ev.source?.component, 'replicaset-controller');
  assert.deepEqual([ev.involvedObject.kind, ev.involvedObject.name, ev.involvedObject.apiVersion], ['ReplicaSet', 'web', 'apps/v1']);
  const status = h.rs('web').status;
  assert.deepEqual(status, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 }, 'zero counts omitted, as Go omits them');
  assert.deepEqual(f.logs, []);
});

test('replicaset replaces a pod deleted by hand, and one that failed', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 2));
  await f.run([replicaSetController]);
  const [first, second] = h.live();
  h.pods.delete(ns, first.metadata!.name!, { gracePeriodSeconds: 0 });
  await f.clock.settle();
  let names = h.live().map((p) => p.metadata!.name);
  assert.equal(names.length, 2);
  assert.ok(!names.includes(first.metadata!.name), 'a new pod');

  await h.setStatus(second, { phase: 'Failed' });
  names = h.live().map((p) => p.metadata!.name);
  assert.equal(names.length, 3, 'the failed pod stays, a third is created');
  assert.equal(h.rs('web').status?.replicas, 2, 'terminal pods are not counted');
});

test('replicaset counts a pod being deleted as gone and creates its replacement at once', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 1));
  await f.run([replicaSetController]);
  const [p] = h.live();
  f.client.pods.bind(ns, p.metadata!.name!, 'node1');
  h.pods.delete(ns, p.metadata!.name!); // graceful on a node: stays with a deletionTimestamp
  await f.clock.settle();
  assert.equal(h.pods.list(ns).items.length, 2);
  assert.equal(h.live().length, 1);
  assert.equal(h.rs('web').status?.replicas, 1);
});

test('replicaset scales down deleting not-ready and unassigned pods before ready ones, and scales up again', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 4));
  await f.run([replicaSetController]);
  const [a, b, c, d] = h.live();
  for (const p of [a, b, c]) f.client.pods.bind(ns, p.metadata!.name!, 'node1');
  await h.setStatus(a, h.ready(f.clock.now() - 3600_000));
  await h.setStatus(b, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] });
  await h.setStatus(c, { phase: 'Pending' });
  assert.equal(h.rs('web').status?.readyReplicas, 1);

  await h.scale('web', 3);
  assert.deepEqual(h.live().map((p) => p.metadata!.name).sort(), [a, b, c].map((p) => p.metadata!.name).sort(), 'd: unassigned');
  await h.scale('web', 1);
  assert.deepEqual(h.live().map((p) => p.metadata!.name), [a.metadata!.name], 'then pending c and not-ready b');
  const deletes = h.events().filter((e) => e[1] === 'SuccessfulDelete');
  assert.deepEqual(deletes.map((e) => e[2]).sort(), [b, c, d].map((p) => `Deleted pod: ${p.metadata!.name}`).sort());
  assert.deepEqual(h.rs('web').status, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 3 });

  await h.scale('web', 3);
  assert.equal(h.live().length, 3);
  assert.equal(h.rs('web').status?.observedGeneration, 4);
});

test('replicaset honours pod-deletion-cost on scale down', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 3));
  await f.run([replicaSetController]);
  const pods = h.live();
  const costs = ['5', '-1', '2'];
  pods.forEach((p, i) => {
    const cur = h.pods.get(ns, p.metadata!.name!)!;
    h.pods.update(ns, { ...cur, metadata: { ...cur.metadata, annotations: { 'controller.kubernetes.io/pod-deletion-cost': costs[i] } } });
  });
  await f.clock.settle();
  await h.scale('web', 1);
  assert.deepEqual(h.live().map((p) => p.metadata!.name), [pods[0].metadata!.name]);
});

test('replicaset adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.pods.create(ns, { metadata: { name: 'orphan', namespace: ns, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
  const rs = h.rss.create(ns, rsSpec('web', 2));
  await f.run([replicaSetController]);
  const pods = h.live();
  assert.equal(pods.length, 2, 'one created, one adopted');
  assert.equal(h.pods.get(ns, 'orphan')?.metadata?.ownerReferences?.[0]?.uid, rs.metadata!.uid);
  assert.equal(h.rs('web').status?.fullyLabeledReplicas, 1, 'the orphan lacks the template label tier');
  assert.equal(h.events().filter((e) => e[1] === 'SuccessfulCreate').length, 1);

  const cur = h.pods.get(ns, 'orphan')!;
  h.pods.update(ns, { ...cur, metadata: { ...cur.metadata, labels: { app: 'other' } } });
  await f.clock.settle();
  assert.equal(h.pods.get(ns, 'orphan')?.metadata?.ownerReferences, undefined, 'released');
  assert.equal(h.live().filter((p) => p.metadata?.ownerReferences?.[0]?.uid === rs.metadata!.uid).length, 2, 'and replaced');
});

test('replicaset leaves pods controlled by another owner alone', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  const other = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'other-uid', controller: true };
  h.pods.create(ns, { metadata: { name: 'taken', namespace: ns, labels: { app: 'web' }, ownerReferences: [other] }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
  h.rss.create(ns, rsSpec('web', 1));
  await f.run([replicaSetController]);
  assert.deepEqual(h.pods.get(ns, 'taken')?.metadata?.ownerReferences, [other]);
  assert.equal(h.live().length, 2);
});

test('replicaset expectations keep a second reconcile from creating again before the cache sees the pods', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 3));
  const rsIndexer = new Indexer<ReplicaSet>();
  rsIndexer.set('default/web', h.rs('web'));
  const staleIndexer = new Indexer<Pod>({ namespace: (p) => [p.metadata?.namespace ?? ''] });
  const expectations = new UidTrackingExpectations(f.clock);
  const recorder = new EventRecorder(f.client.events, { component: 'replicaset-controller' }, () => f.clock.now());
  const sync = new ReplicaSetSync({
    replicaSets: new Lister(rsIndexer),
    pods: new Lister(staleIndexer),
    client: f.client,
    podControl: new PodControl({ pods: h.pods, recorder }),
    expectations,
    clock: f.clock,
  });
  sync.sync('default/web');
  assert.deepEqual(expectations.get('default/web'), { add: 3, del: 0 });
  rsIndexer.set('default/web', h.rs('web'));
  sync.sync('default/web');
  assert.equal(h.live().length, 3, 'the pod cache still shows none, yet no more are created');

  // The cache catches up: creations observed, the set is satisfied and steady.
  for (const p of h.live()) {
    staleIndexer.set(`default/${p.metadata!.name}`, p);
    expectations.creationObserved('default/web');
  }
  rsIndexer.set('default/web', h.rs('web'));
  sync.sync('default/web');
  assert.equal(h.live().length, 3);

  // After five minutes unobserved expectations expire: the cache is trusted again.
  staleIndexer.delete(`default/${h.live()[0].metadata!.name}`);
  expectations.expectCreations('default/web', 1);
  sync.sync('default/web');
  assert.equal(h.live().length, 3);
  f.clock.step(5 * 60_000 + 1);
  sync.sync('default/web');
  assert.equal(h.live().length, 4);
});

test('replicaset reports availability after minReadySeconds on the clock', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 1, { minReadySeconds: 10 }));
  await f.run([replicaSetController]);
  const [p] = h.live();
  await h.setStatus(p, h.ready(f.clock.now()));
  assert.deepEqual([h.rs('web').status?.readyReplicas, h.rs('web').status?.availableReplicas ?? 0], [1, 0]);
  await f.clock.advance(9_000);
  assert.equal(h.rs('web').status?.availableReplicas ?? 0, 0);
  await f.clock.advance(1_100);
  assert.equal(h.rs('web').status?.availableReplicas, 1, 'requeued for the moment it becomes available, no event needed');
});

test('replicaset reports availability of pods already ready at start after the remaining minReadySeconds', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 1, { minReadySeconds: 60 }));
  const first = await f.run([replicaSetController]);
  const [p] = h.live();
  await h.setStatus(p, h.ready(f.clock.now()));
  first.stop();
  f.clock.step(50_000);
  await f.run([replicaSetController]);
  assert.equal(h.rs('web').status?.availableReplicas ?? 0, 0);
  await f.clock.advance(10_001);
  assert.equal(h.rs('web').status?.availableReplicas ?? 0, 1);
});

test('replicaset rebuilds its state after a restart without extra pods, and catches up on changes made while stopped', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 3));
  const first = await f.run([replicaSetController]);
  const before = h.live().map((p) => p.metadata!.name);
  first.stop();
  await f.run([replicaSetController]);
  assert.deepEqual(h.live().map((p) => p.metadata!.name), before);
  assert.equal(h.events().length, 3);

  // Stopped: scale to 5 and remove a pod; the next start sees both.
  const second = await f.run([replicaSetController]);
  second.stop();
  const cur = h.rs('web');
  h.rss.update(ns, { ...cur, spec: { ...cur.spec!, replicas: 5 } });
  h.pods.delete(ns, before[0]!, { gracePeriodSeconds: 0 });
  await f.run([replicaSetController]);
  assert.equal(h.live().length, 5);
  assert.equal(h.rs('web').status?.replicas, 5);
});

/** The controller with pod creates failing while `fail()` returns an error. */
function withFailingCreates(fail: () => Error | undefined): ControllerDefinition {
  return {
    name: 'replicaset',
    create(ctx) {
      const real = ctx.client;
      const client: ControllerClient = {
        ...real,
        resource: ((name: string) => {
          const c = real.resource(name as 'pods');
          if (name !== 'pods') return c;
          return {
            ...c,
            create: (namespace: string | undefined, obj: Pod) => {
              const err = fail();
              if (err) throw err;
              return c.create(namespace, obj);
            },
          };
        }) as ControllerClient['resource'],
      };
      return replicaSetController.create({ ...ctx, client });
    },
  };
}

test('replicaset reports a refused create as FailedCreate (event and ReplicaFailure), slow-starting, and clears it once creates succeed', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  const quota = 'exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0';
  let attempts = 0;
  let failing = true;
  h.rss.create(ns, rsSpec('web', 5));
  await f.run([withFailingCreates(() => (attempts++, failing ? errors.forbidden('pods', 'web-', quota) : undefined))]);
  // The failed pass's status write brings the set back once at once (as upstream's watch does); the next retry waits for the backoff.
  assert.equal(attempts, 2, 'slow start: one attempt a pass, not five');
  const message = `pods "web-" is forbidden: ${quota}`;
  assert.deepEqual(h.events(), [['Warning', 'FailedCreate', `Error creating: ${message}`]]);
  const cond = h.rs('web').status?.conditions;
  assert.deepEqual(cond, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message, lastTransitionTime: rfc3339(f.clock.now()) }]);
  assert.equal(h.rs('web').status?.replicas, 0);
  assert.ok(f.logs.some((l) => l.includes('replicaset: syncing "default/web" failed, will retry')));

  failing = false;
  await f.clock.advance(1_000);
  assert.equal(h.live().length, 5);
  assert.equal(h.rs('web').status?.conditions, undefined, 'cleared');
  assert.equal(h.rs('web').status?.replicas, 5);
});

test('replicaset batches creates 1, 2, 4 and stops at the batch where a create fails', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  let attempts = 0;
  let failing = true;
  h.rss.create(ns, rsSpec('web', 10));
  await f.run([withFailingCreates(() => (++attempts >= 5 && failing ? errors.forbidden('pods', 'web-', 'exceeded quota') : undefined))]);
  // Pass 1: batches of 1 and 2 succeed; the batch of 4 fails from its second create on, and finishes.
  // Passes 2 and 3 (each brought by the previous pass's status write): a batch of 1 each, which fails.
  assert.equal(h.live().length, 4);
  assert.equal(attempts, 9);
  assert.equal(h.rs('web').status?.conditions?.[0]?.reason, 'FailedCreate');
  failing = false;
  await f.clock.advance(1_000);
  assert.equal(h.live().length, 10, 'the retry creates the rest');
});

test('replicaset creates nothing and reports nothing while its namespace is being terminated', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  f.client.resource('namespaces').create(undefined, { metadata: { name: 'doomed', finalizers: ['example.com/hold'] } });
  h.rss.create('doomed', { ...rsSpec('web', 0), metadata: { name: 'web', namespace: 'doomed' } });
  await f.run([replicaSetController]);
  f.client.resource('namespaces').delete(undefined, 'doomed');
  const cur = h.rss.get('doomed', 'web')!;
  h.rss.update('doomed', { ...cur, spec: { ...cur.spec!, replicas: 2 } });
  await f.clock.settle();
  assert.deepEqual(h.pods.list('doomed').items, []);
  assert.deepEqual(f.registry.events.list('doomed').items, []);
  assert.equal(h.rss.get('doomed', 'web')?.status?.conditions, undefined);
  assert.deepEqual(f.logs, []);
});

test('replicaset neither creates nor adopts for a set being deleted, and leaves a deleted set\'s pods to the garbage collector', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.rss.create(ns, rsSpec('web', 2, {}, { finalizers: ['example.com/hold'] }));
  await f.run([replicaSetController]);
  assert.equal(h.live().length, 2);
  h.rss.delete(ns, 'web');
  await f.clock.settle();
  h.pods.delete(ns, h.live()[0].metadata!.name!, { gracePeriodSeconds: 0 });
  h.pods.create(ns, { metadata: { name: 'orphan', namespace: ns, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
  await f.clock.settle();
  assert.equal(h.live().length, 2, 'no replacement');
  assert.equal(h.pods.get(ns, 'orphan')?.metadata?.ownerReferences, undefined, 'no adoption');

  const cur = h.rss.get(ns, 'web')!;
  h.rss.update(ns, { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
  await f.clock.settle();
  assert.equal(h.rss.get(ns, 'web'), undefined);
  assert.equal(h.live().length, 2, 'pods stay for the garbage collector');
});

test('replicaset scale down prefers pods doubled up with related sets\' pods on a node', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'dep', uid: 'dep-uid', controller: true };
  h.rss.create(ns, rsSpec('old', 1, {}, { ownerReferences: [owner] }));
  h.rss.create(ns, rsSpec('new', 2, {}, { ownerReferences: [owner] }));
  await f.run([replicaSetController]);
  const oldPod = h.live().find((p) => p.metadata!.name!.startsWith('old-'))!;
  const [n1, n2] = h.live().filter((p) => p.metadata!.name!.startsWith('new-'));
  f.client.pods.bind(ns, oldPod.metadata!.name!, 'node-a');
  f.client.pods.bind(ns, n1.metadata!.name!, 'node-b');
  f.client.pods.bind(ns, n2.metadata!.name!, 'node-a');
  await f.clock.settle();
  await h.scale('new', 1);
  assert.deepEqual(
    h.live().filter((p) => p.metadata!.name!.startsWith('new-')).map((p) => p.metadata!.name),
    [n1.metadata!.name],
    'the pod sharing node-a with the old set\'s pod goes',
  );
});

test('replicaset with the scheduler: its pods are bound and it stays at spec.replicas', async (t) => {
  const { schedulerController } = await import('../scheduler/scheduler.ts');
  const f = controllerFixture(t);
  const h = helpers(f);
  f.client.nodes.upsert({
    metadata: { name: 'node1' },
    status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
  });
  h.rss.create(ns, rsSpec('web', 3));
  await f.run([schedulerController, replicaSetController]);
  await f.clock.advance(1_000);
  const pods = h.live();
  assert.equal(pods.length, 3);
  assert.deepEqual(pods.map((p) => p.spec?.nodeName), ['node1', 'node1', 'node1']);
  assert.equal(h.rs('web').status?.replicas, 3);
});
