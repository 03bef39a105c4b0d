import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { EventRecorder } from '../client/client.ts';
import { controllerFixture } from './controller-fixture.ts';
import { newControllerRef } from './controller-ref.ts';
import { PodControl, podFromTemplate, podNamePrefix } from './pod-template.ts';

const rsKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const template: PodTemplateSpec = {
  metadata: { labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['example.com/f'], name: 'ignored' },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
};
const owner = { metadata: { name: 'web', namespace: 'default', uid: 'rs-uid' } } as ReplicaSet;

test('podFromTemplate copies labels, annotations, finalizers and spec, with generateName and the controller ref', () => {
  const ref = newControllerRef(owner, rsKind);
  const pod = podFromTemplate(template, owner, ref);
  assert.deepEqual(pod.metadata, {
    labels: { app: 'web' },
    annotations: { a: 'b' },
    generateName: 'web-',
    finalizers: ['example.com/f'],
    ownerReferences: [ref],
  });
  assert.deepEqual(pod.spec, template.spec);
  assert.notEqual(pod.spec, template.spec, 'a deep copy');
  assert.notEqual(pod.metadata!.labels, template.metadata!.labels);
  assert.deepEqual(podFromTemplate({ spec: template.spec }, owner).metadata, { generateName: 'web-' }, 'no empty maps');
  assert.equal(podFromTemplate(template, owner, undefined, 'custom-').metadata?.generateName, 'custom-');
});

test('podNamePrefix drops the dash when the name is as long as a name may be', () => {
  assert.equal(podNamePrefix('web'), 'web-');
  assert.equal(podNamePrefix('a'.repeat(253)), 'a'.repeat(253));
  assert.equal(podNamePrefix('a'.repeat(252)), `${'a'.repeat(252)}-`);
});

test('PodControl creates and deletes pods with the owner\'s events, and reports failures', async (t) => {
  const f = controllerFixture(t);
  const pods = f.client.resource('pods');
  const recorder = new EventRecorder(f.client.events, { component: 'replicaset-controller' }, () => f.clock.now());
  const control = new PodControl({ pods, recorder });
  const created = control.createPod({ namespace: 'default', template, owner, ownerKind: rsKind, controllerRef: newControllerRef(owner, rsKind) });
  assert.match(created.metadata!.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  control.deletePod('default', created.metadata!.name!, owner, rsKind);
  assert.throws(() => control.deletePod('default', 'never-was', owner, rsKind), { code: 404 });
  assert.throws(() => control.createPod({ namespace: 'default', template: { spec: template.spec }, owner, ownerKind: rsKind }), /^Error: unable to create pods, no labels$/);
  const bad = { ...template, spec: { containers: [{ name: 'Bad_Name', image: 'nginx' }] } } as PodTemplateSpec;
  assert.throws(() => control.createPod({ namespace: 'default', template: bad, owner, ownerKind: rsKind }), { code: 422 });
  const events = f.registry.events.list('default').items;
  assert.deepEqual(
    events.map((e) => [e.type, e.reason, e.source?.component, e.involvedObject.kind, e.involvedObject.name]),
    [
      ['Normal', 'SuccessfulCreate', 'replicaset-controller', 'ReplicaSet', 'web'],
      ['Normal', 'SuccessfulDelete', 'replicaset-controller', 'ReplicaSet', 'web'],
      ['Warning', 'FailedCreate', 'replicaset-controller', 'ReplicaSet', 'web'],
    ],
  );
  assert.equal(events[0].message, `Created pod: ${created.metadata!.name}`);
  assert.equal(events[1].message, `Deleted pod: ${created.metadata!.name}`);
  assert.match(events[2].message!, /^Error creating: Pod "web-[a-z0-9]{5}" is invalid: /);
});

test('PodControl records no FailedCreate when the namespace is being terminated', async (t) => {
  const f = controllerFixture(t);
  f.client.resource('namespaces').create(undefined, { metadata: { name: 'doomed', finalizers: ['example.com/hold'] } });
  f.client.resource('namespaces').delete(undefined, 'doomed');
  const recorder = new EventRecorder(f.client.events, { component: 'replicaset-controller' }, () => f.clock.now());
  const control = new PodControl({ pods: f.client.resource('pods'), recorder });
  const doomedOwner = { metadata: { ...owner.metadata, namespace: 'doomed' } } as ReplicaSet;
  assert.throws(() => control.createPod({ namespace: 'doomed', template, owner: doomedOwner, ownerKind: rsKind }), { code: 403 });
  assert.deepEqual(f.registry.events.list('doomed').items, []);
});
