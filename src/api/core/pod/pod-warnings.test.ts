import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { getWarningsForPod, podWarningsOnCreate } from './pod-warnings.ts';

function pod(spec: Partial<Pod['spec']> = {}, meta: Pod['metadata'] = {}): Pod {
  return { metadata: { name: 'p', namespace: 'default', ...meta }, spec: { containers: [{ name: 'app', image: 'busybox:1.35' }], ...spec } };
}

test('pod warnings on create: none for a plain pod', () => {
  assert.deepEqual(podWarningsOnCreate(pod()), []);
});

test('pod warnings on create: a name that is no DNS label, as WarningsOnCreate words it', () => {
  assert.deepEqual(podWarningsOnCreate(pod({}, { name: 'web.v1' })), [
    "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
  ]);
});

test('pod warnings: a negative terminationGracePeriodSeconds is treated as 1', () => {
  assert.deepEqual(getWarningsForPod(pod({ terminationGracePeriodSeconds: -5 })), [
    'spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
  ]);
});

test('pod warnings: duplicate, overlapping and ambiguous ports across containers, hostIP without hostPort', () => {
  const w = getWarningsForPod(
    pod({
      initContainers: [{ name: 'side', image: 'busybox:1.35', restartPolicy: 'Always', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      containers: [
        { name: 'a', image: 'busybox:1.35', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP', hostPort: 53 }] },
        { name: 'b', image: 'busybox:1.35', ports: [{ containerPort: 80, protocol: 'TCP', hostPort: 8080 }, { containerPort: 53, protocol: 'UDP', hostPort: 53, hostIP: '127.0.0.1' }] },
        { name: 'c', image: 'busybox:1.35', ports: [{ name: 'web', containerPort: 9090, protocol: 'TCP', hostIP: '127.0.0.1' }] },
      ],
    }),
  );
  assert.deepEqual(w, [
    'spec.containers[0].ports[0]: duplicate port definition with spec.initContainers[0].ports[0]',
    'spec.containers[1].ports[0]: overlapping port definition with spec.initContainers[0].ports[0]',
    'spec.containers[1].ports[0]: overlapping port definition with spec.containers[0].ports[0]',
    'spec.containers[1].ports[1]: dangerously ambiguous port definition with spec.containers[0].ports[1]',
    'spec.containers[2].ports[0]: hostIP set without hostPort: {Name:web HostPort:0 ContainerPort:9090 Protocol:TCP HostIP:127.0.0.1}',
  ]);
});

test('pod warnings: env entries that hide an earlier definition, but not X="$(X)suffix"', () => {
  const w = getWarningsForPod(
    pod({
      containers: [
        {
          name: 'app',
          image: 'busybox:1.35',
          env: [
            { name: 'A', value: '1' },
            { name: 'A', value: '2' },
            { name: 'B', value: 'x' },
            { name: 'B', value: '$(B)-more' },
            { name: 'B', value: '$(B)' },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(w, [
    'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
    'spec.containers[0].env[4]: hides previous definition of "B", which may be dropped when using apply',
  ]);
});

test('pod warnings: deprecated annotations and volumes, duplicate host aliases and pull secrets, seccomp annotations, fractional bytes', () => {
  const w = getWarningsForPod(
    pod(
      {
        volumes: [
          { name: 'repo', gitRepo: { repository: 'https://example.com/r.git' } },
          { name: 'st', storageos: { volumeName: 'v' } },
          {
            name: 'proj',
            projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'cm', items: [{ key: 'k', path: 'other' }, { key: 'k2', path: 'token' }] } }] },
          },
        ],
        hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }, { ip: '10.0.0.1', hostnames: ['b'] }],
        imagePullSecrets: [{ name: 'reg' }, { name: 'reg' }, { name: '' }],
        containers: [{ name: 'app', image: 'busybox:1.35', resources: { limits: { memory: '100.5' } } }],
      },
      {
        annotations: {
          'scheduler.alpha.kubernetes.io/critical-pod': '',
          'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default',
          'container.seccomp.security.alpha.kubernetes.io/app': 'runtime/default',
        },
      },
    ),
  );
  assert.deepEqual(w, [
    'metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead',
    'spec.volumes[0].gitRepo: deprecated in v1.11',
    'spec.volumes[1].storageOS: deprecated in v1.22, non-functional in v1.25+',
    'spec.volumes[2].projected.sources.configMap[1]: has duplicated path with ServiceAccountToken "token"',
    'spec.hostAliases[1].ip: duplicate ip "10.0.0.1"',
    'spec.imagePullSecrets[1].name: duplicate name "reg"',
    'spec.imagePullSecrets[2].name: invalid empty name ""',
    'metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead',
    'metadata.annotations[container.seccomp.security.alpha.kubernetes.io/app]: non-functional in v1.27+; use the "seccompProfile" field instead',
    'spec.containers[0].resources.limits[memory]: fractional byte value "100500m" is invalid, must be an integer',
  ]);
});

test('pod warnings: deprecated node labels in nodeSelector, node affinity and topology spread', () => {
  const w = getWarningsForPod(
    pod({
      nodeSelector: { 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'failure-domain.beta.kubernetes.io/zone', operator: 'Exists' }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }, { key: 'beta.kubernetes.io/arch', operator: 'Exists' }] } },
          ],
        },
      },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'failure-domain.beta.kubernetes.io/region', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} }],
    }),
  );
  assert.deepEqual(w, [
    'spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[1].key: beta.kubernetes.io/arch is deprecated since v1.14; use "kubernetes.io/arch" instead',
    'spec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/region is deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  ]);
});
