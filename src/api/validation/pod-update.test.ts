import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../field-error.ts';
import type { Obj } from './field-errors.ts';
import { pod } from './pod-fixtures.ts';
import { podUpdateForbiddenPrefix, validatePodStatusUpdate, validatePodUpdate } from './validation.ts';

function stored(mutate: (p: Obj) => void = () => {}): Obj {
  return pod((p) => {
    p.metadata.uid = 'u-1';
    p.metadata.resourceVersion = '5';
    p.metadata.creationTimestamp = '2025-01-02T03:04:05Z';
    p.spec.initContainers = [{ name: 'init', image: 'busybox:1.35' }];
    mutate(p);
  });
}

function update(old: Obj, change: (p: Obj) => void): string[] {
  const next = structuredClone(old);
  change(next);
  return validatePodUpdate(next, old).map(renderFieldError);
}

test('validatePodUpdate accepts an image change of a container and an init container', () => {
  const errs = update(stored(), (p) => {
    p.spec.containers[0].image = 'busybox:1.36';
    p.spec.initContainers[0].image = 'busybox:1.36';
  });
  assert.deepEqual(errs, []);
});

test('validatePodUpdate accepts activeDeadlineSeconds being added, then lowered', () => {
  const old = stored();
  assert.deepEqual(update(old, (p) => (p.spec.activeDeadlineSeconds = 60)), []);
  const withDeadline = stored((p) => (p.spec.activeDeadlineSeconds = 60));
  assert.deepEqual(update(withDeadline, (p) => (p.spec.activeDeadlineSeconds = 30)), []);
});

test('validatePodUpdate refuses raising activeDeadlineSeconds', () => {
  const old = stored((p) => (p.spec.activeDeadlineSeconds = 60));
  assert.deepEqual(update(old, (p) => (p.spec.activeDeadlineSeconds = 120)), [
    'spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value',
  ]);
});

test('validatePodUpdate refuses removing activeDeadlineSeconds', () => {
  const old = stored((p) => (p.spec.activeDeadlineSeconds = 60));
  const errs = update(old, (p) => delete p.spec.activeDeadlineSeconds);
  assert.equal(errs[0], 'spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value');
});

test('validatePodUpdate accepts added tolerations and refuses modified ones', () => {
  const old = stored((p) => (p.spec.tolerations = [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }]));
  assert.deepEqual(
    update(old, (p) => {
      p.spec.tolerations[0].tolerationSeconds = 20;
      p.spec.tolerations.push({ key: 'b', operator: 'Exists' });
    }),
    [],
  );
  const errs = update(old, (p) => (p.spec.tolerations = [{ key: 'c', operator: 'Exists' }]));
  assert.equal(errs[0], 'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds');
});

test('validatePodUpdate allows terminationGracePeriodSeconds 1 when it was negative', () => {
  const old = stored((p) => (p.spec.terminationGracePeriodSeconds = -1));
  assert.deepEqual(update(old, (p) => (p.spec.terminationGracePeriodSeconds = 1)), []);
});

test('validatePodUpdate treats equal quantities written differently as unchanged', () => {
  const old = stored((p) => (p.spec.containers[0].resources = { limits: { cpu: '1' } }));
  assert.deepEqual(update(old, (p) => (p.spec.containers[0].resources = { limits: { cpu: '1000m' } })), []);
});

test('validatePodUpdate forbids any other spec change with the Kubernetes message and a diff', () => {
  const old = stored();
  const errs = update(old, (p) => (p.spec.containers[0].command = ['sleep', '1']));
  assert.equal(errs.length, 1);
  const [head, ...diff] = errs[0].split('\n');
  assert.equal(head, `spec: Forbidden: ${podUpdateForbiddenPrefix}`);
  assert.equal(
    podUpdateForbiddenPrefix,
    'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  );
  assert.equal(diff[0], '  core.PodSpec{');
  assert.ok(diff.includes('+ \t\t\tCommand: {"sleep", "1"},'), diff.join('\n'));
  assert.ok(diff.includes('- \t\t\tCommand: nil,'), diff.join('\n'));
});

test('validatePodUpdate forbids adding a container and stops there', () => {
  const old = stored();
  const errs = update(old, (p) => p.spec.containers.push({ name: 'b', image: 'busybox:1.35', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }));
  assert.deepEqual(errs, ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('validatePodUpdate reports an image with whitespace twice, as Kubernetes does', () => {
  const errs = update(stored(), (p) => (p.spec.containers[0].image = ' busybox'));
  assert.deepEqual(errs, [
    'spec.containers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace',
    'spec.containers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace',
  ]);
});

test('validatePodUpdate refuses changes to immutable metadata', () => {
  const errs = update(stored(), (p) => {
    p.metadata.uid = 'u-2';
    p.metadata.creationTimestamp = '2025-02-02T00:00:00Z';
  });
  assert.deepEqual(errs, [
    'metadata.uid: Invalid value: "u-2": field is immutable',
    'metadata.creationTimestamp: Invalid value: 2025-02-02 00:00:00 +0000 UTC: field is immutable',
  ]);
});

test('validatePodUpdate requires a resourceVersion', () => {
  const errs = update(stored(), (p) => delete p.metadata.resourceVersion);
  assert.deepEqual(errs, ['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
});

test('validatePodStatusUpdate refuses moving a terminated container back to running when restartPolicy is Never', () => {
  const old = stored((p) => {
    p.spec.restartPolicy = 'Never';
    p.status = { containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0 } } }] };
  });
  const next = structuredClone(old);
  next.status.containerStatuses[0].state = { running: {} };
  assert.deepEqual(validatePodStatusUpdate(next, old).map(renderFieldError), [
    'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
  ]);
});

test('validatePodStatusUpdate lets a sidecar restart after it terminated', () => {
  const old = stored((p) => {
    p.spec.restartPolicy = 'Never';
    p.spec.initContainers[0].restartPolicy = 'Always';
    p.status = { initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 1 } } }] };
  });
  const next = structuredClone(old);
  next.status.initContainerStatuses[0].state = { running: {} };
  assert.deepEqual(validatePodStatusUpdate(next, old), []);
});

test('validatePodStatusUpdate checks pod IPs and the qosClass', () => {
  const old = stored((p) => (p.status = { qosClass: 'BestEffort' }));
  const next = structuredClone(old);
  next.status = { qosClass: 'Burstable', podIPs: [{ ip: '10.0.0.x' }] };
  assert.deepEqual(validatePodStatusUpdate(next, old).map(renderFieldError), [
    'status.qosClass: Invalid value: "Burstable": field is immutable',
    'status.podIPs[0]: Invalid value: "10.0.0.x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
});
