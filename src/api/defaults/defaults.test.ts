import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Event, Namespace, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { applyPodSchemeDefaults, defaultEvent, defaultNamespace, defaultPod, defaultSecret } from './defaults.ts';

function manifest(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kubia', namespace: 'default', labels: { app: 'kubia' } },
    spec: {
      initContainers: [
        { name: 'init-demo', image: 'busybox:1.35', command: ['sh', '-c', 'true'] },
        {
          name: 'envoy',
          image: 'envoyproxy/envoy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
          restartPolicy: 'Always',
          readinessProbe: { httpGet: { port: 9901 } },
          startupProbe: { grpc: { port: 9902 } },
        },
      ],
      containers: [
        {
          name: 'kubia',
          image: 'luksa/kubia',
          ports: [{ containerPort: 8080 }],
          env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          resources: { limits: { cpu: '0.5', memory: '128Mi' } },
          livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 },
          lifecycle: { preStop: { httpGet: { port: 8080, path: '/quit' } } },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
      volumes: [
        { name: 'data' },
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'sec', secret: { secretName: 'sec' } },
        { name: 'host', hostPath: { path: '/tmp' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        {
          name: 'proj',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token' } },
              { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
            ],
          },
        },
      ],
    },
  };
}

describe('defaultPod', () => {
  it('defaultPod fills the pod-level fields a cluster shows in -o yaml', () => {
    const pod = manifest();
    defaultPod(pod);
    const { containers, initContainers, volumes, ...rest } = pod.spec!;
    assert.deepEqual(rest, {
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
    });
    assert.equal(containers.length, 1);
    assert.equal(initContainers?.length, 2);
    assert.equal(volumes?.length, 6);
  });

  it('defaultPod defaults a regular container like SetDefaults_Container and friends', () => {
    const pod = manifest();
    defaultPod(pod);
    assert.deepEqual(pod.spec!.containers[0], {
      name: 'kubia',
      image: 'luksa/kubia',
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      env: [{ name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } },
      livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
      lifecycle: { preStop: { httpGet: { port: 8080, path: '/quit', scheme: 'HTTP' } } },
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    });
  });

  it('defaultPod defaults init containers and the probes of a sidecar', () => {
    const pod = manifest();
    defaultPod(pod);
    const [init, sidecar] = pod.spec!.initContainers!;
    assert.equal(init.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(init.resources, {});
    assert.equal(init.terminationMessagePolicy, 'File');
    assert.equal(sidecar.imagePullPolicy, 'IfNotPresent', 'a digest reference is not :latest');
    assert.deepEqual(sidecar.readinessProbe, {
      httpGet: { port: 9901, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.deepEqual(sidecar.startupProbe?.grpc, { port: 9902, service: '' });
  });

  it('defaultPod defaults every volume source', () => {
    const pod = manifest();
    defaultPod(pod);
    assert.deepEqual(pod.spec!.volumes, [
      { name: 'data', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
      { name: 'sec', secret: { secretName: 'sec', defaultMode: 420 } },
      { name: 'host', hostPath: { path: '/tmp', type: '' } },
      {
        name: 'info',
        downwardAPI: { defaultMode: 420, items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] },
      },
      {
        name: 'proj',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
            { downwardAPI: { items: [{ path: 'name', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } }] } },
          ],
        },
      },
    ]);
  });

  it('defaultPod defaults the pull policy of an image volume and the volume mode of an ephemeral claim', () => {
    const pod = {
      spec: {
        containers: [{ name: 'c', image: 'x' }],
        volumes: [
          { name: 'img', image: { reference: 'quay.io/crio/artifact:v1' } },
          { name: 'img2', image: { reference: 'quay.io/crio/artifact' } },
          { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '1.5Gi' } } } } } },
        ],
      },
    } as unknown as Pod;
    defaultPod(pod);
    const [img, img2, eph] = pod.spec!.volumes as any[];
    assert.equal(img.image.pullPolicy, 'IfNotPresent');
    assert.equal(img2.image.pullPolicy, 'Always');
    assert.deepEqual(eph.ephemeral.volumeClaimTemplate.spec, { volumeMode: 'Filesystem', resources: { requests: { storage: '1536Mi' } } });
  });

  it('defaultPod keeps values the user set', () => {
    const pod = manifest();
    const spec = pod.spec!;
    spec.restartPolicy = 'Never';
    spec.dnsPolicy = 'Default';
    spec.terminationGracePeriodSeconds = 0;
    spec.enableServiceLinks = false;
    spec.serviceAccountName = 'builder';
    spec.securityContext = { runAsUser: 1000 };
    spec.containers[0].imagePullPolicy = 'Never';
    spec.containers[0].resources = { limits: { cpu: '1' }, requests: { cpu: '100m' } };
    spec.volumes![2].secret!.defaultMode = 0o400;
    defaultPod(pod);
    assert.equal(spec.restartPolicy, 'Never');
    assert.equal(spec.dnsPolicy, 'Default');
    assert.equal(spec.terminationGracePeriodSeconds, 0);
    assert.equal(spec.enableServiceLinks, false);
    assert.equal(spec.serviceAccountName, 'builder');
    assert.equal(spec.serviceAccount, 'builder');
    assert.deepEqual(spec.securityContext, { runAsUser: 1000 });
    assert.equal(spec.containers[0].imagePullPolicy, 'Never');
    assert.deepEqual(spec.containers[0].resources, { limits: { cpu: '1' }, requests: { cpu: '100m' } });
    assert.equal(spec.volumes![2].secret!.defaultMode, 0o400);
  });

  it('defaultPod takes the deprecated serviceAccount alias when serviceAccountName is empty', () => {
    const pod = manifest();
    pod.spec!.serviceAccount = 'legacy';
    defaultPod(pod);
    assert.equal(pod.spec!.serviceAccountName, 'legacy');
    assert.equal(pod.spec!.serviceAccount, 'legacy');
  });

  it('defaultPod picks the pull policy from the image reference', () => {
    const cases: [string, string][] = [
      ['busybox', 'Always'],
      ['busybox:latest', 'Always'],
      ['docker.io/library/busybox:1.35', 'IfNotPresent'],
      ['localhost:5000/app', 'Always'],
      ['localhost:5000/app:v2', 'IfNotPresent'],
      ['busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
      ['busybox:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'Always'],
      ['Invalid/Upper', 'IfNotPresent'],
      ['', 'IfNotPresent'],
    ];
    for (const [image, want] of cases) {
      const pod: Pod = { spec: { containers: [{ name: 'c', image }] } };
      defaultPod(pod);
      assert.equal(pod.spec!.containers[0].imagePullPolicy, want, image);
    }
  });

  it('defaultPod resolves the system priority classes and leaves the preemption policy set by the user', () => {
    const pod: Pod = {
      spec: { priorityClassName: 'system-node-critical', preemptionPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] },
    };
    defaultPod(pod);
    assert.equal(pod.spec!.priority, 2000001000);
    assert.equal(pod.spec!.preemptionPolicy, 'Never');
  });

  it('defaultPod adds no default toleration that an existing toleration already covers', () => {
    const pod: Pod = {
      spec: {
        containers: [{ name: 'c', image: 'x' }],
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
      },
    };
    defaultPod(pod);
    assert.deepEqual(
      pod.spec!.tolerations!.map((t) => [t.key, t.tolerationSeconds]),
      [
        ['node.kubernetes.io/not-ready', 10],
        ['node.kubernetes.io/unreachable', 300],
      ],
    );
    const tolerateAll: Pod = { spec: { containers: [{ name: 'c', image: 'x' }], tolerations: [{ operator: 'Exists' }] } };
    defaultPod(tolerateAll);
    assert.deepEqual(tolerateAll.spec!.tolerations, [{ operator: 'Exists' }]);
  });

  it('defaultPod copies container ports to host ports under host networking', () => {
    const pod: Pod = { spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }] }] } };
    defaultPod(pod);
    assert.deepEqual(pod.spec!.containers[0].ports, [{ containerPort: 80, hostPort: 80, protocol: 'TCP' }]);
  });

  it('defaultPod is idempotent', () => {
    const once = manifest();
    defaultPod(once);
    const twice = structuredClone(once);
    defaultPod(twice);
    assert.deepEqual(twice, once);
  });

  it('applyPodSchemeDefaults applies scheme defaults without admission additions', () => {
    const pod = manifest();
    applyPodSchemeDefaults(pod);
    assert.equal(pod.spec!.restartPolicy, 'Always');
    assert.equal(pod.spec!.tolerations, undefined);
    assert.equal(pod.spec!.priority, undefined);
    assert.equal(pod.spec!.serviceAccountName, undefined);
  });
});

describe('object defaults', () => {
  it('defaultNamespace adds the name label, the kubernetes finalizer and phase Active', () => {
    const ns: Namespace = { metadata: { name: 'team-a', labels: { owner: 'me' } } };
    defaultNamespace(ns);
    assert.deepEqual(ns, {
      metadata: { name: 'team-a', labels: { owner: 'me', 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('defaultSecret sets type Opaque and folds stringData into base64 data', () => {
    const secret: Secret = { metadata: { name: 's' }, data: { a: 'b2xk', keep: 'eA==' }, stringData: { a: 'new', b: 'ünï' } };
    defaultSecret(secret);
    assert.deepEqual(secret, {
      metadata: { name: 's' },
      type: 'Opaque',
      data: { a: Buffer.from('new').toString('base64'), keep: 'eA==', b: Buffer.from('ünï').toString('base64') },
    });
  });

  it('defaultSecret keeps an explicit type', () => {
    const secret: Secret = { metadata: { name: 's' }, type: 'kubernetes.io/tls' };
    defaultSecret(secret);
    assert.equal(secret.type, 'kubernetes.io/tls');
  });

  it('defaultEvent fills the fields Go encodes even when empty and keeps set ones', () => {
    const event: Event = {
      metadata: { name: 'e' },
      involvedObject: { kind: 'Pod', name: 'p' },
      firstTimestamp: '2025-01-01T00:00:00Z',
      reportingComponent: 'kubelet',
    };
    defaultEvent(event);
    assert.deepEqual(event, {
      metadata: { name: 'e' },
      involvedObject: { kind: 'Pod', name: 'p' },
      firstTimestamp: '2025-01-01T00:00:00Z',
      reportingComponent: 'kubelet',
      source: {},
      eventTime: null,
      lastTimestamp: null,
      reportingInstance: '',
    });
  });
});
