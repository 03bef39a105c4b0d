import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { controllerFixture, type ControllerFixture } from '../controller-fixture.ts';
import { replicaSetController } from '../replicaset/replicaset.ts';
import { deploymentController } from './deployment.ts';
import { byCreation } from './replica-sets.ts';

const store = (f: ControllerFixture, resource: string) => f.registry.resource(resource === 'events' ? '' : 'apps', 'v1', resource)!;

interface Options {
  replicas?: number;
  image?: string;
  strategy?: Deployment['spec'] extends infer S ? (S extends { strategy?: infer T } ? T : never) : never;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
}

/** A Deployment as apps/v1 defaults would store it (RollingUpdate 25%/25%, history 10, deadline 600). */
function createDeployment(f: ControllerFixture, o: Options = {}): void {
  store(f, 'deployments').create('default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: o.replicas ?? 4,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: o.image ?? 'busybox:1.35' }] } },
      strategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: o.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: o.progressDeadlineSeconds ?? 600,
      ...(o.paused ? { paused: true } : {}),
    },
  });
}

const deployment = (f: ControllerFixture): Deployment => store(f, 'deployments').get('default', 'web') as Deployment;
const replicaSets = (f: ControllerFixture): ReplicaSet[] => (store(f, 'replicasets').list('default').items as ReplicaSet[]).sort(byCreation);
const rsNamed = (f: ControllerFixture, name: string): ReplicaSet => store(f, 'replicasets').get('default', name) as ReplicaSet;
const sizes = (f: ControllerFixture) => Object.fromEntries(replicaSets(f).map((rs) => [rs.metadata!.name!, rs.spec!.replicas!]));
const revision = (o: { metadata?: { annotations?: Record<string, string> } }) => o.metadata?.annotations?.['deployment.kubernetes.io/revision'];
const condition = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);
const events = (f: ControllerFixture) =>
  (store(f, 'events').list('default').items as any[])
    .filter((e) => e.source?.component === 'deployment-controller')
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.reason} ${e.message}`);

function update(f: ControllerFixture, change: (d: Deployment) => void): void {
  const d = structuredClone(deployment(f));
  change(d);
  store(f, 'deployments').update('default', 'web', d);
}

const setImage = (f: ControllerFixture, image: string) => update(f, (d) => (d.spec!.template.spec!.containers[0].image = image));

/**
 * Plays the ReplicaSet controller and the kubelet: every ReplicaSet's pods
 * exist and are ready and available as its spec asks, at most `available`
 * (by name) of them available.
 */
async function runPods(f: ControllerFixture, available: Record<string, number> = {}): Promise<void> {
  for (const rs of replicaSets(f)) {
    const n = rs.spec!.replicas ?? 1;
    const avail = Math.min(n, available[rs.metadata!.name!] ?? n);
    const status = { replicas: n, fullyLabeledReplicas: n, readyReplicas: avail, availableReplicas: avail, observedGeneration: rs.metadata!.generation };
    if (JSON.stringify(status) === JSON.stringify({ ...rs.status, fullyLabeledReplicas: rs.status?.fullyLabeledReplicas })) continue;
    store(f, 'replicasets').update('default', rs.metadata!.name!, { ...rs, status }, { subresource: 'status' });
  }
  await f.clock.settle();
}

test('deployment controller rolls a new Deployment out onto one ReplicaSet named by its pod-template-hash, with revision 1 and its conditions', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f);
  await f.run([deploymentController]);
  const [rs] = replicaSets(f);
  assert.equal(replicaSets(f).length, 1);
  const hash = rs.metadata!.labels!['pod-template-hash'];
  assert.match(hash, /^[456789bcdf]+$/);
  assert.equal(rs.metadata!.name, `web-${hash}`);
  assert.deepEqual(rs.spec!.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
  assert.deepEqual(rs.spec!.template!.metadata!.labels, { app: 'web', 'pod-template-hash': hash });
  assert.equal(rs.spec!.replicas, 4);
  const d0 = deployment(f);
  assert.deepEqual(rs.metadata!.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d0.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(revision(rs), '1');
  assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '4');
  assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/max-replicas'], '5');
  assert.equal(revision(d0), '1');
  assert.equal(d0.metadata!.generation, 1, 'the revision annotation is a status write, not a spec change');
  assert.deepEqual(events(f), [`ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 4`]);
  assert.equal(condition(d0, 'Progressing')?.reason, 'NewReplicaSetCreated');
  assert.equal(condition(d0, 'Progressing')?.message, `Created new replica set "web-${hash}"`);
  assert.deepEqual([condition(d0, 'Available')?.status, condition(d0, 'Available')?.reason, condition(d0, 'Available')?.message], ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.']);
  assert.equal(d0.status?.observedGeneration, 1);
  assert.equal(d0.status?.unavailableReplicas, 4);

  await runPods(f);
  const d = deployment(f);
  assert.deepEqual(
    [d.status?.replicas, d.status?.updatedReplicas, d.status?.readyReplicas, d.status?.availableReplicas, d.status?.unavailableReplicas],
    [4, 4, 4, 4, undefined],
  );
  assert.deepEqual([condition(d, 'Progressing')?.status, condition(d, 'Progressing')?.reason, condition(d, 'Progressing')?.message], ['True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`]);
  assert.deepEqual([condition(d, 'Available')?.status, condition(d, 'Available')?.reason, condition(d, 'Available')?.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
  assert.deepEqual(f.logs, []);
});

test('deployment controller rolls a template change out onto a second ReplicaSet within maxSurge and maxUnavailable at every step', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 4 });
  await f.run([deploymentController]);
  await runPods(f);
  const [first] = replicaSets(f);
  setImage(f, 'busybox:1.36');
  await f.clock.settle();
  assert.equal(replicaSets(f).length, 2);
  const second = replicaSets(f).find((rs) => rs.metadata!.uid !== first.metadata!.uid)!;
  const a = first.metadata!.name!;
  const b = second.metadata!.name!;
  assert.notEqual(a, b);
  assert.equal(revision(second), '2');
  assert.equal(revision(deployment(f)), '2');

  // Each round: the controller acts, then the new pods start but only one at a time becomes available.
  for (let round = 0; round < 20; round++) {
    const s = sizes(f);
    assert.ok(s[a] + s[b] <= 5, `round ${round}: ${JSON.stringify(s)} exceeds replicas + maxSurge`);
    const availableNow = Object.values(replicaSets(f)).reduce((n, rs) => n + Math.min(rs.spec!.replicas!, rs.status?.availableReplicas ?? 0), 0);
    assert.ok(availableNow >= 3, `round ${round}: ${availableNow} available is below replicas - maxUnavailable`);
    if (s[a] === 0 && s[b] === 4 && rsNamed(f, b).status?.availableReplicas === 4) break;
    const newAvailable = rsNamed(f, b).status?.availableReplicas ?? 0;
    await runPods(f, { [b]: newAvailable + 1 });
  }
  assert.deepEqual(sizes(f), { [a]: 0, [b]: 4 });
  const d = deployment(f);
  assert.equal(condition(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
  assert.equal(condition(d, 'Progressing')?.message, `ReplicaSet "${b}" has successfully progressed.`);
  assert.deepEqual([d.status?.replicas, d.status?.updatedReplicas, d.status?.availableReplicas], [4, 4, 4]);
  const ev = events(f);
  assert.equal(ev[1], `ScalingReplicaSet Scaled up replica set ${b} from 0 to 1`);
  assert.equal(ev[2], `ScalingReplicaSet Scaled down replica set ${a} from 4 to 3`);
  assert.equal(ev.at(-1), `ScalingReplicaSet Scaled down replica set ${a} from 1 to 0`);
  assert.deepEqual(f.logs, []);
});

test('deployment controller with Recreate scales the old ReplicaSet to 0 and creates the new one only when the old pods are gone', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 2, strategy: { type: 'Recreate' } });
  await f.run([deploymentController]);
  await runPods(f);
  const [old] = replicaSets(f);
  assert.equal(old.spec!.replicas, 2);
  f.registry.pods.create('default', {
    metadata: { name: 'web-old-pod', labels: { ...old.spec!.template!.metadata!.labels }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: old.metadata!.name!, uid: old.metadata!.uid!, controller: true }] },
    spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] },
  });
  setImage(f, 'busybox:1.36');
  await f.clock.settle();
  assert.deepEqual(sizes(f), { [old.metadata!.name!]: 0 }, 'no new ReplicaSet while the old one runs');
  await runPods(f);
  assert.equal(replicaSets(f).length, 1, 'still none while an old pod is not terminal');
  f.registry.pods.delete('default', 'web-old-pod', { gracePeriodSeconds: 0 });
  await f.clock.settle();
  const [, fresh] = replicaSets(f);
  assert.ok(fresh, 'the new ReplicaSet comes after the last old pod is gone');
  assert.equal(fresh.spec!.replicas, 2);
  assert.deepEqual(events(f).slice(1), [
    `ScalingReplicaSet Scaled down replica set ${old.metadata!.name} from 2 to 0`,
    `ScalingReplicaSet Scaled up replica set ${fresh.metadata!.name} from 0 to 2`,
  ]);
  assert.deepEqual(f.logs, []);
});

test('deployment controller does not roll a paused Deployment out but scales it, and goes on when it is resumed', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 2 });
  await f.run([deploymentController]);
  await runPods(f);
  const [first] = replicaSets(f);
  update(f, (d) => (d.spec!.paused = true));
  await f.clock.settle();
  let d = deployment(f);
  assert.deepEqual([condition(d, 'Progressing')?.status, condition(d, 'Progressing')?.reason, condition(d, 'Progressing')?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
  setImage(f, 'busybox:1.36');
  await f.clock.settle();
  assert.equal(replicaSets(f).length, 1, 'no rollout while paused');
  update(f, (d) => (d.spec!.replicas = 3));
  await f.clock.settle();
  assert.equal(rsNamed(f, first.metadata!.name!).spec!.replicas, 3, 'a paused Deployment still scales');
  assert.equal(rsNamed(f, first.metadata!.name!).metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
  // Long after the deadline: a paused Deployment does not time out.
  await f.clock.advance(700_000);
  assert.equal(condition(deployment(f), 'Progressing')?.reason, 'DeploymentPaused');
  update(f, (d) => (d.spec!.paused = false));
  await f.clock.settle();
  d = deployment(f);
  assert.equal(replicaSets(f).length, 2, 'resumed: the rollout starts');
  assert.notEqual(condition(d, 'Progressing')?.reason, 'ProgressDeadlineExceeded');
  assert.ok(f.logs.every((l) => !/failed/.test(l)), f.logs.join('\n'));
});

test('deployment controller reports ProgressDeadlineExceeded when the new ReplicaSet makes no progress within progressDeadlineSeconds', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 2, progressDeadlineSeconds: 60 });
  await f.run([deploymentController]);
  const [rs] = replicaSets(f);
  assert.equal(condition(deployment(f), 'Progressing')?.reason, 'NewReplicaSetCreated');
  await f.clock.advance(59_000);
  assert.equal(condition(deployment(f), 'Progressing')?.reason, 'NewReplicaSetCreated', 'not before the deadline');
  await f.clock.advance(3_000);
  const d = deployment(f);
  assert.deepEqual([condition(d, 'Progressing')?.status, condition(d, 'Progressing')?.reason, condition(d, 'Progressing')?.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${rs.metadata!.name}" has timed out progressing.`]);
  // Progress afterwards completes the rollout.
  await runPods(f);
  assert.equal(condition(deployment(f), 'Progressing')?.reason, 'NewReplicaSetAvailable');
});

test('deployment controller gives a rolled-back template its old ReplicaSet with a new revision and keeps the former one in revision-history', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 2 });
  await f.run([deploymentController]);
  await runPods(f);
  const [v1] = replicaSets(f);
  setImage(f, 'busybox:1.36');
  for (let i = 0; i < 6; i++) await runPods(f);
  assert.equal(replicaSets(f).length, 2);
  // kubectl rollout undo (apps/v1) writes the old template back.
  update(f, (d) => (d.spec!.template.spec!.containers[0].image = 'busybox:1.35'));
  for (let i = 0; i < 6; i++) await runPods(f);
  assert.equal(replicaSets(f).length, 2, 'no third ReplicaSet: the old one is reused');
  const reused = rsNamed(f, v1.metadata!.name!);
  assert.equal(revision(reused), '3');
  assert.equal(reused.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(reused.spec!.replicas, 2);
  assert.equal(revision(deployment(f)), '3');
  const other = replicaSets(f).find((rs) => rs.metadata!.uid !== v1.metadata!.uid)!;
  assert.equal(revision(other), '2');
  assert.equal(other.spec!.replicas, 0);
});

test('deployment controller deletes old ReplicaSets beyond revisionHistoryLimit once scaled down', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 1, revisionHistoryLimit: 1 });
  await f.run([deploymentController]);
  await runPods(f);
  for (const image of ['busybox:a', 'busybox:b', 'busybox:c']) {
    setImage(f, image);
    for (let i = 0; i < 6; i++) await runPods(f);
  }
  const left = replicaSets(f);
  assert.deepEqual(left.map((rs) => [revision(rs), rs.spec!.replicas]), [['3', 0], ['4', 1]]);
  assert.equal(left[1].spec!.template!.spec!.containers[0].image, 'busybox:c');
});

test('deployment controller restarted mid-rollout goes on with the same ReplicaSets and revisions', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 4 });
  const first = await f.run([deploymentController]);
  await runPods(f);
  setImage(f, 'busybox:1.36');
  await f.clock.settle();
  await runPods(f, Object.fromEntries(replicaSets(f).map((rs, i) => [rs.metadata!.name!, i === 0 ? 99 : 0])));
  const before = replicaSets(f).map((rs) => [rs.metadata!.name, revision(rs)]);
  assert.equal(before.length, 2);
  first.stop();
  await f.run([deploymentController]);
  assert.deepEqual(replicaSets(f).map((rs) => [rs.metadata!.name, revision(rs)]), before);
  for (let i = 0; i < 10; i++) await runPods(f);
  assert.deepEqual(replicaSets(f).map((rs) => [rs.metadata!.name, revision(rs), rs.spec!.replicas]), [
    [before[0][0], '1', 0],
    [before[1][0], '2', 4],
  ]);
  assert.equal(revision(deployment(f)), '2');
});

test('deployment controller bumps collisionCount when its ReplicaSet name is taken by another template, and creates the next name', async (t) => {
  const f = controllerFixture(t);
  await f.run([deploymentController]);
  // Learn the name the Deployment will want, then take it with an unrelated ReplicaSet first.
  createDeployment(f, { replicas: 1 });
  await f.clock.settle();
  const wanted = replicaSets(f)[0].metadata!.name!;
  store(f, 'deployments').delete('default', 'web');
  store(f, 'replicasets').delete('default', wanted);
  await f.clock.settle();
  store(f, 'replicasets').create('default', {
    metadata: { name: wanted, labels: { other: 'x' } },
    spec: { replicas: 0, selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } },
  });
  createDeployment(f, { replicas: 1 });
  await f.clock.settle();
  assert.equal(deployment(f).status?.collisionCount, 1);
  await f.clock.advance(1000);
  const mine = replicaSets(f).filter((rs) => rs.metadata!.ownerReferences?.[0]?.name === 'web');
  assert.equal(mine.length, 1);
  assert.notEqual(mine[0].metadata!.name, wanted);
  assert.equal(mine[0].metadata!.name, `web-${mine[0].metadata!.labels!['pod-template-hash']}`);
});

test('deployment controller adopts a matching orphan ReplicaSet of its template instead of creating one', async (t) => {
  const f = controllerFixture(t);
  store(f, 'replicasets').create('default', {
    metadata: { name: 'web-orphan', labels: { app: 'web' } },
    spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } } },
  });
  createDeployment(f, { replicas: 4 });
  await f.run([deploymentController]);
  const rss = replicaSets(f);
  assert.equal(rss.length, 1);
  assert.equal(rss[0].metadata!.ownerReferences?.[0]?.uid, deployment(f).metadata!.uid);
  assert.equal(revision(rss[0]), '1');
  assert.equal(condition(deployment(f), 'Progressing')?.reason, 'FoundNewReplicaSet');
});

test('deployment controller scaled mid-rollout scales both ReplicaSets in proportion and records the new desired-replicas and max-replicas', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
  await f.run([deploymentController]);
  await runPods(f);
  const [a] = replicaSets(f);
  setImage(f, 'busybox:1.36');
  await f.clock.settle();
  // New pods never become available: the rollout stalls at old 8, new 5 (13 = 10 + maxSurge).
  for (let i = 0; i < 4; i++) await runPods(f, Object.fromEntries(replicaSets(f).filter((rs) => rs.metadata!.uid !== a.metadata!.uid).map((rs) => [rs.metadata!.name!, 0])));
  const b = replicaSets(f).find((rs) => rs.metadata!.uid !== a.metadata!.uid)!.metadata!.name!;
  assert.deepEqual(sizes(f), { [a.metadata!.name!]: 8, [b]: 5 });
  update(f, (d) => (d.spec!.replicas = 20));
  await f.clock.settle();
  // 20 + maxSurge 3 = 23 allowed, 10 more than now: each ReplicaSet grows to its share of 23 by its share of 13 (max-replicas).
  const s = sizes(f);
  assert.equal(s[a.metadata!.name!] + s[b], 23);
  assert.deepEqual(s, { [a.metadata!.name!]: 14, [b]: 9 });
  for (const rs of replicaSets(f)) {
    assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '20');
    assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/max-replicas'], '23');
  }
  assert.ok(events(f).includes(`ScalingReplicaSet Scaled up replica set ${a.metadata!.name} from 8 to 14`), events(f).join('\n'));
  assert.ok(events(f).includes(`ScalingReplicaSet Scaled up replica set ${b} from 5 to 9`), events(f).join('\n'));
});

test('deployment controller honours the deprecated rollback annotation: the template of that revision comes back and the annotation goes', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 1 });
  await f.run([deploymentController]);
  await runPods(f);
  setImage(f, 'busybox:1.36');
  for (let i = 0; i < 4; i++) await runPods(f);
  update(f, (d) => (d.metadata = { ...d.metadata, annotations: { ...d.metadata!.annotations, 'deprecated.deployment.rollback.to': '1' } }));
  for (let i = 0; i < 4; i++) await runPods(f);
  const d = deployment(f);
  assert.equal(d.spec!.template.spec!.containers[0].image, 'busybox:1.35');
  assert.equal(d.metadata!.annotations!['deprecated.deployment.rollback.to'], undefined);
  assert.equal(revision(d), '3');
  assert.ok(events(f).includes('DeploymentRollback Rolled back deployment "web" to revision 1'), events(f).join('\n'));
  update(f, (d) => (d.metadata = { ...d.metadata, annotations: { ...d.metadata!.annotations, 'deprecated.deployment.rollback.to': '9' } }));
  await f.clock.settle();
  assert.ok(events(f).includes('DeploymentRollbackRevisionNotFound Unable to find the revision to rollback to.'), events(f).join('\n'));
});

test('deployment controller warns SelectingAll for a Deployment whose selector selects everything, and only records its generation', async (t) => {
  const f = controllerFixture(t);
  createDeployment(f, { replicas: 1 });
  // Validation refuses an empty selector; one stored before it (here: written around it) is what the check is for.
  store(f, 'deployments').internalUpdate('default', 'web', (d: any) => ({ ...d, metadata: { ...d.metadata, generation: 2 }, spec: { ...d.spec, selector: {} } }));
  await f.run([deploymentController]);
  assert.deepEqual(replicaSets(f), []);
  assert.deepEqual(events(f), ['SelectingAll This deployment is selecting all pods. A non-empty selector is required.']);
  assert.equal(deployment(f).status?.observedGeneration, 2);
});

test('deployment controller and the ReplicaSet controller together roll a template change out as pods become ready', async (t) => {
  const f = controllerFixture(t);
  const readyAll = async () => {
    for (const pod of f.registry.pods.list('default').items as any[]) {
      if (pod.status?.phase === 'Running' || pod.metadata.deletionTimestamp) continue;
      const now = new Date(f.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      f.registry.pods.update('default', pod.metadata.name, { ...pod, status: { ...pod.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { subresource: 'status' });
    }
    await f.clock.settle();
  };
  createDeployment(f, { replicas: 3 });
  await f.run([deploymentController, replicaSetController]);
  await readyAll();
  assert.equal(deployment(f).status?.availableReplicas, 3);
  setImage(f, 'busybox:1.36');
  for (let i = 0; i < 12; i++) {
    await readyAll();
    // Pods of a scaled-down set are deleted with grace; the kubelet would finish that.
    for (const pod of f.registry.pods.list('default').items as any[]) {
      if (pod.metadata.deletionTimestamp) f.registry.pods.delete('default', pod.metadata.name, { gracePeriodSeconds: 0 });
    }
    await f.clock.settle();
  }
  const [old, cur] = replicaSets(f);
  assert.deepEqual([old.spec!.replicas, cur.spec!.replicas, cur.status?.availableReplicas], [0, 3, 3]);
  const d = deployment(f);
  assert.deepEqual([d.status?.replicas, d.status?.updatedReplicas, d.status?.availableReplicas], [3, 3, 3]);
  assert.equal(condition(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
  const pods = f.registry.pods.list('default').items as any[];
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.metadata.labels['pod-template-hash'] === cur.metadata!.labels!['pod-template-hash']));
});

test('deployment controller reports ReplicaSetCreateError when the API refuses its new ReplicaSet', async (t) => {
  const f = controllerFixture(t);
  // A valid Deployment name that is too long once the hash is appended.
  const name = 'w'.repeat(250);
  store(f, 'deployments').create('default', {
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  });
  await f.run([deploymentController]);
  assert.deepEqual(replicaSets(f), []);
  const d = store(f, 'deployments').get('default', name) as Deployment;
  const c = condition(d, 'Progressing');
  assert.deepEqual([c?.status, c?.reason], ['False', 'ReplicaSetCreateError']);
  assert.match(c!.message!, new RegExp(`^Failed to create new replica set "${name}-[456789bcdf]+": ReplicaSet.apps "${name}-[456789bcdf]+" is invalid: metadata.name`));
  const ev = (store(f, 'events').list('default').items as any[]).find((e) => e.reason === 'ReplicaSetCreateError');
  assert.equal(ev?.type, 'Warning');
  assert.equal(ev?.message, c!.message);
  assert.ok(f.logs.some((l) => l.includes('will retry')), 'the create is retried');
});
