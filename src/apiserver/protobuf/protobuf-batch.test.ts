import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { decodeKubernetesProtobuf } from './protobuf.ts';

/** Wraps `message` (in the .proto's own shape) as a typed client would send it. */
function envelope(apiVersion: string, kind: string, typeName: string, message: Record<string, unknown>): Buffer {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => (target.startsWith('/') ? target : fileURLToPath(new URL(target, `file://${origin}`)));
  root.loadSync(['./k8s-core-v1.proto', './k8s-batch-v1.proto'].map((f) => fileURLToPath(new URL(f, import.meta.url))), { keepCase: true });
  const type = root.lookupType(typeName);
  const raw = type.encode(type.fromObject(message)).finish();
  const unknown = root.lookupType('berth.k8s.Unknown');
  const env = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), env]);
}

test('decodeKubernetesProtobuf reads a Job as kubectl create job sends it', () => {
  const body = envelope('batch/v1', 'Job', 'berth.k8s.batch.v1.Job', {
    metadata: { name: 'once' },
    spec: {
      template: {
        metadata: {},
        spec: { containers: [{ name: 'once', image: 'busybox:1.35', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' },
      },
    },
    status: {},
  });
  assert.deepEqual(decodeKubernetesProtobuf(body), {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'once' },
    spec: {
      template: {
        metadata: {},
        spec: { containers: [{ name: 'once', image: 'busybox:1.35', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' },
      },
    },
    status: {},
  });
});

test('decodeKubernetesProtobuf keeps a Job spec\'s pointer zeros and its policies', () => {
  const body = envelope('batch/v1', 'Job', 'berth.k8s.batch.v1.Job', {
    metadata: { name: 'p' },
    spec: {
      parallelism: 0,
      completions: 3,
      backoffLimit: 0,
      suspend: false,
      completionMode: 'Indexed',
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
      successPolicy: { rules: [{ succeededIndexes: '0', succeededCount: 1 }] },
      template: { spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], restartPolicy: 'Never' } },
    },
  });
  const job = decodeKubernetesProtobuf(body) as any;
  assert.equal(job.spec.parallelism, 0);
  assert.equal(job.spec.backoffLimit, 0);
  assert.equal(job.spec.suspend, false);
  assert.equal(job.spec.completionMode, 'Indexed');
  assert.deepEqual(job.spec.podFailurePolicy, { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] });
  assert.deepEqual(job.spec.successPolicy, { rules: [{ succeededIndexes: '0', succeededCount: 1 }] });
});

test('decodeKubernetesProtobuf reads a CronJob with its job template', () => {
  const body = envelope('batch/v1', 'CronJob', 'berth.k8s.batch.v1.CronJob', {
    metadata: { name: 'tick' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { metadata: { name: 'tick' }, spec: { template: { spec: { containers: [{ name: 'tick', image: 'busybox:1.35' }], restartPolicy: 'OnFailure' } } } },
    },
  });
  const cj = decodeKubernetesProtobuf(body) as any;
  assert.equal(cj.spec.schedule, '*/5 * * * *');
  assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
});
