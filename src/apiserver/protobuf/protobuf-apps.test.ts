import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { decodeKubernetesProtobuf } from './protobuf.ts';

// Bodies as kubectl 1.32 sent them (captured with a logging proxy in front of berth):
// `create deployment web --image=busybox:1.35 --replicas=2 --port=80 -- sleep 3600`,
// `create deployment multi --image=busybox:1.35 --image=nginx:1.27`.
const captured = {
  web: '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412cf010a1f0a0377656212001a0022002a003200380042005a0a0a036170701203776562129d010802120c0a0a0a0361707012037765621a82010a1c0a0012001a0022002a003200380042005a0a0a036170701203776562126212440a0762757379626f78120c62757379626f783a312e33351a05736c6565701a04333630302a00320a0a001000185022002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
  multi: '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412e7010a230a056d756c746912001a0022002a003200380042005a0c0a0361707012056d756c746912b1010801120e0a0c0a0361707012056d756c74691a94010a1e0a0012001a0022002a003200380042005a0c0a0361707012056d756c74691272122b0a0762757379626f78120c62757379626f783a312e33352a0042006a007200800100880100900100a2010012270a056e67696e78120a6e67696e783a312e32372a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
};

test('decodeKubernetesProtobuf reads kubectl create deployment with its command, port and replicas', () => {
  assert.deepEqual(decodeKubernetesProtobuf(Buffer.from(captured.web, 'hex')), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'busybox', image: 'busybox:1.35', command: ['sleep', '3600'], ports: [{ containerPort: 80 }], resources: {} }] },
      },
      strategy: {},
    },
    status: {},
  });
});

test('decodeKubernetesProtobuf reads a Deployment with one container per --image', () => {
  const d = decodeKubernetesProtobuf(Buffer.from(captured.multi, 'hex')) as any;
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(
    d.spec.template.spec.containers.map((c: any) => [c.name, c.image]),
    [
      ['busybox', 'busybox:1.35'],
      ['nginx', 'nginx:1.27'],
    ],
  );
});

/** Wraps `message` (in the .proto's own shape) as a typed client would send it. */
function envelope(apiVersion: string, kind: string, typeName: string, message: Record<string, unknown>): Buffer {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => (target.startsWith('/') ? target : fileURLToPath(new URL(target, `file://${origin}`)));
  root.loadSync(['./k8s-core-v1.proto', './k8s-apps-v1.proto'].map((f) => fileURLToPath(new URL(f, import.meta.url))), { keepCase: true });
  const type = root.lookupType(typeName);
  const raw = type.encode(type.fromObject(message)).finish();
  const unknown = root.lookupType('berth.k8s.Unknown');
  const env = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), env]);
}

test('decodeKubernetesProtobuf renders a full pod template as Go JSON: inline structs, pointers, quantities, int-or-string', () => {
  const body = envelope('apps/v1', 'Deployment', 'berth.k8s.apps.v1.Deployment', {
    metadata: { name: 'full' },
    spec: {
      replicas: 0,
      revisionHistoryLimit: 0,
      paused: false,
      minReadySeconds: 0,
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['full'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: { type: 1, strVal: '25%' }, maxSurge: { type: 0, intVal: 1 } } },
      template: {
        metadata: { labels: { app: 'full' }, creationTimestamp: {} },
        spec: {
          terminationGracePeriodSeconds: 0,
          hostNetwork: false,
          securityContext: { runAsNonRoot: true, fsGroup: 2000 },
          volumes: [
            { name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'app-config' }, defaultMode: 420, items: [{ key: 'a', path: 'a.txt' }] } } },
            { name: 'scratch', volumeSource: { emptyDir: { medium: 'Memory', sizeLimit: { string: '64Mi' } } } },
          ],
          containers: [
            {
              name: 'app',
              image: 'busybox:1.35',
              args: ['-c', 'echo hi'],
              env: [
                { name: 'PLAIN', value: 'x' },
                { name: 'EMPTY', value: '' },
                { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { localObjectReference: { name: 's' }, key: 'k', optional: false } } },
                { name: 'LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: {} } } },
              ],
              envFrom: [{ prefix: 'P_', configMapRef: { localObjectReference: { name: 'app-config' } } }],
              resources: { limits: { cpu: { string: '200m' }, memory: { string: '512Mi' } }, requests: { cpu: { string: '100m' } } },
              volumeMounts: [{ name: 'cfg', mountPath: '/etc/app', readOnly: true }],
              livenessProbe: { handler: { httpGet: { path: '/healthz', port: { type: 1, strVal: 'http' } } }, periodSeconds: 5 },
              readinessProbe: { handler: { tcpSocket: { port: { type: 0, intVal: 8080 } } }, initialDelaySeconds: 0 },
              lifecycle: { preStop: { sleep: { seconds: 5 } } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            },
          ],
          tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] },
            },
          },
        },
      },
    },
  });
  const d = decodeKubernetesProtobuf(body) as any;
  assert.deepEqual(d.spec.replicas, 0, 'a pointer keeps an explicit zero');
  assert.deepEqual(d.spec.revisionHistoryLimit, 0);
  assert.equal('paused' in d.spec, false, 'a non-pointer zero is omitted');
  assert.equal('minReadySeconds' in d.spec, false);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } });
  assert.deepEqual(d.spec.selector, { matchExpressions: [{ key: 'app', operator: 'In', values: ['full'] }] });
  const pod = d.spec.template.spec;
  assert.deepEqual(d.spec.template.metadata, { labels: { app: 'full' } }, 'a zero Time is omitted');
  assert.equal(pod.terminationGracePeriodSeconds, 0);
  assert.equal('hostNetwork' in pod, false);
  assert.deepEqual(pod.securityContext, { runAsNonRoot: true, fsGroup: 2000 });
  assert.deepEqual(pod.volumes, [
    { name: 'cfg', configMap: { name: 'app-config', defaultMode: 420, items: [{ key: 'a', path: 'a.txt' }] } },
    { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
  ]);
  assert.deepEqual(pod.containers, [
    {
      name: 'app',
      image: 'busybox:1.35',
      args: ['-c', 'echo hi'],
      env: [
        { name: 'PLAIN', value: 'x' },
        { name: 'EMPTY' },
        { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: false } } },
        { name: 'LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } } },
      ],
      envFrom: [{ prefix: 'P_', configMapRef: { name: 'app-config' } }],
      resources: { limits: { cpu: '200m', memory: '512Mi' }, requests: { cpu: '100m' } },
      volumeMounts: [{ name: 'cfg', mountPath: '/etc/app', readOnly: true }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
      readinessProbe: { tcpSocket: { port: 8080 } },
      lifecycle: { preStop: { sleep: { seconds: 5 } } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    },
  ]);
  assert.deepEqual(pod.tolerations, [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]);
  assert.deepEqual(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values, ['linux']);
});

test('decodeKubernetesProtobuf reads a ReplicaSet, a DaemonSet and a ControllerRevision with its raw data', () => {
  const rs = decodeKubernetesProtobuf(envelope('apps/v1', 'ReplicaSet', 'berth.k8s.apps.v1.ReplicaSet', { metadata: { name: 'x' }, spec: { replicas: 0, minReadySeconds: 3 } }));
  assert.deepEqual(rs, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'x' }, spec: { replicas: 0, minReadySeconds: 3 } });
  const ds = decodeKubernetesProtobuf(
    envelope('apps/v1', 'DaemonSet', 'berth.k8s.apps.v1.DaemonSet', { metadata: { name: 'd' }, spec: { updateStrategy: { type: 'OnDelete' }, template: { spec: { nodeSelector: { disk: 'ssd' } } } } }),
  ) as any;
  assert.deepEqual(ds.spec, { updateStrategy: { type: 'OnDelete' }, template: { spec: { nodeSelector: { disk: 'ssd' } } } });
  const data = Buffer.from(JSON.stringify({ spec: { template: { metadata: { labels: { a: 'b' } } } } }));
  const cr = decodeKubernetesProtobuf(envelope('apps/v1', 'ControllerRevision', 'berth.k8s.apps.v1.ControllerRevision', { metadata: { name: 'r' }, data: { raw: data }, revision: 2 }));
  assert.deepEqual(cr, { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, data: { spec: { template: { metadata: { labels: { a: 'b' } } } } }, revision: 2 });
});

test('decodeKubernetesProtobuf answers 415 naming an apps/v1 kind without a message', () => {
  const body = Buffer.from(captured.web, 'hex');
  const at = body.indexOf('Deployment');
  const renamed = Buffer.concat([body.subarray(0, at), Buffer.from('NoSuchKind'), body.subarray(at + 10)]);
  assert.throws(() => decodeKubernetesProtobuf(renamed), /berth reads no protobuf for apps\/v1 NoSuchKind/);
});
