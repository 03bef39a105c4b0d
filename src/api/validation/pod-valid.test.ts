import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../field-error.ts';
import type { Obj } from './field-errors.ts';
import { defaulted } from './pod-fixtures.ts';
import { validatePod } from './validation.ts';

const busybox = 'busybox:1.35';

const validPods: Record<string, Obj> = {
  'the seed pod (two init containers, two long-running containers)': {
    metadata: { name: 'seed', labels: { app: 'seed' } },
    spec: {
      initContainers: [
        { name: 'init-1', image: busybox, command: ['sh', '-c', 'echo one'] },
        { name: 'init-2', image: busybox, command: ['sh', '-c', 'echo two'] },
      ],
      containers: [
        { name: 'main', image: busybox, command: ['sleep', '3600'] },
        { name: 'helper', image: busybox, command: ['sleep', '3600'] },
      ],
    },
  },
  'a sidecar with startup, liveness and readiness probes and lifecycle hooks': {
    metadata: { name: 'sidecar' },
    spec: {
      initContainers: [
        {
          name: 'log-shipper',
          image: busybox,
          restartPolicy: 'Always',
          command: ['sleep', 'inf'],
          startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
          livenessProbe: { tcpSocket: { port: 9000 } },
          readinessProbe: { httpGet: { port: 'metrics' }, successThreshold: 3 },
          lifecycle: { postStart: { exec: { command: ['true'] } }, preStop: { sleep: { seconds: 5 } } },
          ports: [{ name: 'metrics', containerPort: 9000 }],
        },
      ],
      containers: [{ name: 'app', image: busybox, readinessProbe: { grpc: { port: 8080 } } }],
    },
  },
  'a pod with every volume source berth mounts': {
    metadata: { name: 'volumes', annotations: { 'example.com/note': 'x' } },
    spec: {
      restartPolicy: 'Never',
      serviceAccountName: 'default',
      volumes: [
        { name: 'scratch', emptyDir: { sizeLimit: '64Mi' } },
        { name: 'host', hostPath: { path: '/tmp', type: 'Directory' } },
        { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'a', path: 'dir/a', mode: 0o644 }] } },
        { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
        {
          name: 'meta',
          downwardAPI: {
            items: [
              { path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } },
              { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
            ],
          },
        },
        {
          name: 'all-in-one',
          projected: {
            sources: [
              { configMap: { name: 'cm', items: [{ key: 'a', path: 'a' }] } },
              { secret: { name: 's', items: [{ key: 'b', path: 'b' }] } },
              { serviceAccountToken: { expirationSeconds: 3600, path: 'token' } },
            ],
          },
        },
      ],
      containers: [
        {
          name: 'app',
          image: busybox,
          volumeMounts: [
            { name: 'scratch', mountPath: '/scratch', subPath: 'a/b' },
            { name: 'host', mountPath: '/host', readOnly: true, recursiveReadOnly: 'IfPossible' },
            { name: 'cfg', mountPath: '/cfg' },
            { name: 'sec', mountPath: '/sec' },
            { name: 'meta', mountPath: '/meta' },
            { name: 'all-in-one', mountPath: '/all' },
          ],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '0.25', memory: '64Mi' } },
        },
      ],
    },
  },
  'a pod using every env source': {
    metadata: { name: 'env' },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example.com:5000/team/app@sha256:' + 'a'.repeat(64),
          env: [
            { name: 'PLAIN', value: 'x' },
            { name: 'dotted.name-1', value: 'relaxed names are allowed' },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'APP_LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
            { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'CFG', valueFrom: { configMapKeyRef: { name: 'cm', key: 'key.name' } } },
            { name: 'SEC', valueFrom: { secretKeyRef: { name: 'sec', key: 'KEY_NAME', optional: true } } },
          ],
          envFrom: [{ configMapRef: { name: 'cm' } }, { prefix: 'S_', secretRef: { name: 'sec' } }],
        },
      ],
    },
  },
  'a pod with scheduling, DNS and security settings': {
    metadata: { name: 'sched' },
    spec: {
      activeDeadlineSeconds: 600,
      hostname: 'web-0',
      subdomain: 'web',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { operator: 'Exists' },
      ],
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['10.0.0.10'], searches: ['svc.cluster.local', '_srv.example.com.'], options: [{ name: 'ndots', value: '2' }] },
      readinessGates: [{ conditionType: 'example.com/ready' }],
      securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }] },
      containers: [
        {
          name: 'app',
          image: busybox,
          ports: [{ name: 'http', containerPort: 8080, hostPort: 18080 }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          resources: { limits: { 'example.com/widget': '2' }, requests: { 'example.com/widget': '2' } },
        },
      ],
    },
  },
};

for (const [name, manifest] of Object.entries(validPods)) {
  test(`validatePod accepts ${name}`, () => {
    const p = defaulted(structuredClone(manifest));
    assert.deepEqual(validatePod(p).map(renderFieldError), []);
  });
}

test('validatePod accepts a pod whose name will be generated', () => {
  const p = defaulted({ metadata: { generateName: 'job-' }, spec: { containers: [{ name: 'c', image: busybox }] } });
  assert.deepEqual(validatePod(p), []);
});
