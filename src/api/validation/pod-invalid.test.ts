/**
 * Invalid pods and the exact errors kube-apiserver v1.33 returns for them, in
 * order. Each case names the validation.go (or apimachinery) function the
 * rule comes from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../field-error.ts';
import { errors } from '../errors.ts';
import type { Obj } from './field-errors.ts';
import { CONFIG_KEY_MSG, LABEL_MSG, LABEL_VALUE_MSG, NAME_PART_MSG, pod, SUBDOMAIN_MSG } from './pod-fixtures.ts';
import { validatePod } from './validation.ts';

const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const INIT_FORBIDDEN = 'may not be set for init containers without restartPolicy=Always';

interface Case {
  name: string;
  /** The validation.go (or apimachinery) function the rule comes from. */
  source: string;
  mutate: (p: Obj) => void;
  /** Runs after defaulting, to remove what defaulting would add. */
  afterDefaults?: (p: Obj) => void;
  want: string[];
}

const c0 = (p: Obj): Obj => p.spec.containers[0];
const init = (extra: Obj = {}): Obj => ({ name: 'init', image: 'busybox:1.35', command: ['true'], ...extra });
const sidecar = (extra: Obj = {}): Obj => init({ name: 'sidecar', restartPolicy: 'Always', ...extra });
const execProbe = (extra: Obj = {}): Obj => ({ exec: { command: ['true'] }, ...extra });

const cases: Case[] = [
  // --- metadata ---
  {
    name: 'name is missing',
    source: 'apimachinery ValidateObjectMetaAccessor',
    mutate: (p) => delete p.metadata.name,
    want: ['metadata.name: Required value: name or generateName is required'],
  },
  {
    name: 'name is not a DNS subdomain',
    source: 'apimachinery ValidateObjectMetaAccessor / NameIsDNSSubdomain',
    mutate: (p) => (p.metadata.name = 'Bad_Name'),
    want: [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`],
  },
  {
    name: 'name is longer than 253 characters',
    source: 'apimachinery ValidateObjectMetaAccessor / IsDNS1123Subdomain',
    mutate: (p) => (p.metadata.name = 'a'.repeat(254)),
    want: [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`],
  },
  {
    name: 'generateName is not a DNS subdomain prefix',
    source: 'apimachinery ValidateObjectMetaAccessor (generateName)',
    mutate: (p) => {
      delete p.metadata.name;
      p.metadata.generateName = 'Bad-';
    },
    want: [`metadata.generateName: Invalid value: "Bad-": ${SUBDOMAIN_MSG}`],
  },
  {
    name: 'namespace is not a DNS label',
    source: 'apimachinery validateObjectMetaAccessorWithOptsCommon',
    mutate: (p) => (p.metadata.namespace = 'Bad'),
    want: [`metadata.namespace: Invalid value: "Bad": ${LABEL_MSG}`],
  },
  {
    name: 'a label key has a space',
    source: 'meta/v1 ValidateLabels / IsQualifiedName',
    mutate: (p) => (p.metadata.labels = { 'bad key': 'x' }),
    want: [`metadata.labels: Invalid value: "bad key": ${NAME_PART_MSG}`],
  },
  {
    name: 'a label value starts with a dash',
    source: 'meta/v1 ValidateLabels / IsValidLabelValue',
    mutate: (p) => (p.metadata.labels = { app: '-x' }),
    want: [`metadata.labels: Invalid value: "-x": ${LABEL_VALUE_MSG}`],
  },
  {
    name: 'a label value is 64 characters',
    source: 'meta/v1 ValidateLabels / IsValidLabelValue',
    mutate: (p) => (p.metadata.labels = { app: 'a'.repeat(64) }),
    want: [`metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
  },
  {
    name: 'an annotation key has two slashes',
    source: 'apimachinery ValidateAnnotations / IsQualifiedName',
    mutate: (p) => (p.metadata.annotations = { 'a/b/c': 'x' }),
    want: [
      "metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
  },
  {
    name: 'annotations exceed 256 KiB',
    source: 'apimachinery ValidateAnnotations (TotalAnnotationSizeLimitB)',
    mutate: (p) => (p.metadata.annotations = { big: 'x'.repeat(256 * 1024) }),
    want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
  },
  {
    name: 'the mirror pod annotation is set without a node',
    source: 'ValidatePodSpecificAnnotations',
    mutate: (p) => (p.metadata.annotations = { 'kubernetes.io/config.mirror': 'x' }),
    want: ['metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "x": must set spec.nodeName if mirror pod annotation is set'],
  },
  {
    name: 'the pod deletion cost is not an integer',
    source: 'ValidatePodSpecificAnnotations',
    mutate: (p) => (p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': 'abc' }),
    want: ['metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "abc": must be a 32bit integer'],
  },
  // --- containers: names and images ---
  {
    name: 'two containers share a name',
    source: 'validateContainers',
    mutate: (p) => {
      p.metadata.name = 'dup';
      p.spec.containers = [
        { name: 'kubia', image: 'busybox:1.35' },
        { name: 'kubia', image: 'busybox:1.35' },
      ];
    },
    want: ['spec.containers[1].name: Duplicate value: "kubia"'],
  },
  {
    name: 'an init container reuses a regular container name',
    source: 'validateInitContainers',
    mutate: (p) => (p.spec.initContainers = [init({ name: 'app' })]),
    want: ['spec.initContainers[0].name: Duplicate value: "app"'],
  },
  {
    name: 'two init containers share a name',
    source: 'validateInitContainers',
    mutate: (p) => (p.spec.initContainers = [init(), init()]),
    want: ['spec.initContainers[1].name: Duplicate value: "init"'],
  },
  {
    name: 'a container name has upper case letters',
    source: 'validateContainerCommon / ValidateDNS1123Label',
    mutate: (p) => (c0(p).name = 'App'),
    want: [`spec.containers[0].name: Invalid value: "App": ${LABEL_MSG}`],
  },
  {
    name: 'a container name has dots',
    source: 'validateContainerCommon / IsDNS1123Label',
    mutate: (p) => (c0(p).name = 'a.b'),
    want: ['spec.containers[0].name: Invalid value: "a.b": must not contain dots'],
  },
  {
    name: 'a container has neither name nor image',
    source: 'validateContainerCommon',
    mutate: (p) => (p.spec.containers = [{}]),
    want: ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value'],
  },
  {
    name: 'there are no containers',
    source: 'validateContainers',
    mutate: (p) => (p.spec.containers = []),
    want: ['spec.containers: Required value'],
  },
  {
    name: 'the image is missing',
    source: 'validateContainerCommon',
    mutate: (p) => delete c0(p).image,
    want: ['spec.containers[0].image: Required value'],
  },
  {
    name: 'the image has trailing whitespace',
    source: 'validateContainerOnlyForPod',
    mutate: (p) => (c0(p).image = 'busybox '),
    want: ['spec.containers[0].image: Invalid value: "busybox ": must not have leading or trailing whitespace'],
  },
  {
    name: 'the image is only whitespace',
    source: 'validateContainerOnlyForPod',
    mutate: (p) => (p.spec.initContainers = [init({ image: '   ' })]),
    want: ['spec.initContainers[0].image: Invalid value: "   ": must not have leading or trailing whitespace'],
  },
  {
    name: 'the image pull policy is unknown',
    source: 'validatePullPolicy',
    mutate: (p) => (c0(p).imagePullPolicy = 'Sometimes'),
    want: ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
  },
  {
    name: 'the termination message policy is unknown',
    source: 'validateContainerCommon',
    mutate: (p) => (c0(p).terminationMessagePolicy = 'Nope'),
    want: ['spec.containers[0].terminationMessagePolicy: Unsupported value: "Nope": supported values: "File", "FallbackToLogsOnError"'],
  },
  // --- restart policies, init containers and sidecars ---
  {
    name: 'the pod restart policy is unknown',
    source: 'validateRestartPolicy',
    mutate: (p) => (p.spec.restartPolicy = 'Sometimes'),
    want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  },
  {
    name: 'an init container restart policy is OnFailure',
    source: 'validateInitContainerRestartPolicy',
    mutate: (p) => (p.spec.initContainers = [init({ restartPolicy: 'OnFailure' })]),
    want: ['spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
  },
  {
    name: 'a regular container sets restartPolicy',
    source: 'validateContainers',
    mutate: (p) => (c0(p).restartPolicy = 'Always'),
    want: ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
  },
  {
    name: 'a regular init container has a liveness probe',
    source: 'validateInitContainers',
    mutate: (p) => (p.spec.initContainers = [init({ livenessProbe: execProbe({ successThreshold: 1 }) })]),
    want: [`spec.initContainers[0].livenessProbe: Forbidden: ${INIT_FORBIDDEN}`],
  },
  {
    name: 'a regular init container has lifecycle, readiness and startup probes',
    source: 'validateInitContainers',
    mutate: (p) =>
      (p.spec.initContainers = [
        init({ lifecycle: { preStop: { exec: { command: ['x'] } } }, readinessProbe: execProbe(), startupProbe: execProbe() }),
      ]),
    want: [
      `spec.initContainers[0].lifecycle: Forbidden: ${INIT_FORBIDDEN}`,
      `spec.initContainers[0].readinessProbe: Forbidden: ${INIT_FORBIDDEN}`,
      `spec.initContainers[0].startupProbe: Forbidden: ${INIT_FORBIDDEN}`,
    ],
  },
  {
    name: 'a sidecar liveness probe has successThreshold 2',
    source: 'validateLivenessProbe (restartable init container)',
    mutate: (p) => (p.spec.initContainers = [sidecar({ livenessProbe: execProbe({ successThreshold: 2 }) })]),
    want: ['spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
  },
  {
    name: 'a sidecar readiness probe sets terminationGracePeriodSeconds',
    source: 'validateReadinessProbe',
    mutate: (p) => (p.spec.initContainers = [sidecar({ readinessProbe: execProbe({ terminationGracePeriodSeconds: 10 }) })]),
    want: ['spec.initContainers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes'],
  },
  {
    name: 'a startup probe has successThreshold 3',
    source: 'validateStartupProbe',
    mutate: (p) => (c0(p).startupProbe = execProbe({ successThreshold: 3 })),
    want: ['spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1'],
  },
  // --- probes and handlers ---
  {
    name: 'a probe has no handler',
    source: 'validateHandler',
    mutate: (p) => (c0(p).livenessProbe = {}),
    want: ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
  },
  {
    name: 'a probe has two handlers',
    source: 'validateHandler',
    mutate: (p) => (c0(p).livenessProbe = execProbe({ httpGet: { port: 8080 } })),
    want: ['spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type'],
  },
  {
    name: 'an exec probe has no command',
    source: 'validateExecAction',
    mutate: (p) => (c0(p).readinessProbe = { exec: {} }),
    want: ['spec.containers[0].readinessProbe.exec.command: Required value'],
  },
  {
    name: 'an httpGet probe port is out of range',
    source: 'validateHTTPGetAction / ValidatePortNumOrName',
    mutate: (p) => (c0(p).livenessProbe = { httpGet: { port: 70000 } }),
    want: [`spec.containers[0].livenessProbe.httpGet.port: Invalid value: 70000: ${PORT_RANGE}`],
  },
  {
    name: 'an httpGet probe names its port in upper case',
    source: 'ValidatePortNumOrName / IsValidPortName',
    mutate: (p) => (c0(p).livenessProbe = { httpGet: { port: 'HTTP_PORT' } }),
    want: [
      'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "HTTP_PORT": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "HTTP_PORT": must contain at least one letter (a-z)',
    ],
  },
  {
    name: 'an httpGet header name has a space',
    source: 'validateHTTPGetAction / IsHTTPHeaderName',
    mutate: (p) => (c0(p).readinessProbe = { httpGet: { port: 80, httpHeaders: [{ name: 'bad header', value: 'v' }] } }),
    want: [
      "spec.containers[0].readinessProbe.httpGet.httpHeaders: Invalid value: \"bad header\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
    ],
  },
  {
    name: 'a tcpSocket probe port is 0',
    source: 'validateTCPSocketAction',
    mutate: (p) => (c0(p).livenessProbe = { tcpSocket: { port: 0 } }),
    want: [`spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 0: ${PORT_RANGE}`],
  },
  {
    name: 'a grpc probe port is negative',
    source: 'validateGRPCAction',
    mutate: (p) => (c0(p).livenessProbe = { grpc: { port: -1 } }),
    want: [`spec.containers[0].livenessProbe.grpc.port: Invalid value: -1: ${PORT_RANGE}`],
  },
  {
    name: 'a probe period is negative',
    source: 'validateProbe',
    mutate: (p) => (c0(p).readinessProbe = execProbe({ periodSeconds: -1 })),
    want: ['spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0'],
  },
  {
    name: 'a liveness probe grace period is 0',
    source: 'validateProbe',
    mutate: (p) => (c0(p).livenessProbe = execProbe({ terminationGracePeriodSeconds: 0 })),
    want: ['spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0'],
  },
  {
    name: 'a preStop hook has no handler',
    source: 'validateLifecycle / validateHandler',
    mutate: (p) => (c0(p).lifecycle = { preStop: {} }),
    want: ['spec.containers[0].lifecycle.preStop: Required value: must specify a handler type'],
  },
  {
    name: 'a preStop sleep outlasts the grace period',
    source: 'validateSleepAction',
    mutate: (p) => (c0(p).lifecycle = { preStop: { sleep: { seconds: 40 } } }),
    want: ['spec.containers[0].lifecycle.preStop.sleep: Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)'],
  },
  // --- ports ---
  {
    name: 'a container port is 0',
    source: 'validateContainerPorts',
    mutate: (p) => (c0(p).ports = [{ containerPort: 0 }]),
    want: ['spec.containers[0].ports[0].containerPort: Required value'],
  },
  {
    name: 'a container port is out of range',
    source: 'validateContainerPorts',
    mutate: (p) => (c0(p).ports = [{ containerPort: 70000 }]),
    want: [`spec.containers[0].ports[0].containerPort: Invalid value: 70000: ${PORT_RANGE}`],
  },
  {
    name: 'a port protocol is HTTP',
    source: 'validateContainerPorts',
    mutate: (p) => (c0(p).ports = [{ containerPort: 80, protocol: 'HTTP' }]),
    want: ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  },
  {
    name: 'a port name is longer than 15 characters',
    source: 'validateContainerPorts / IsValidPortName',
    mutate: (p) => (c0(p).ports = [{ name: 'averyveryverylongname', containerPort: 80 }]),
    want: ['spec.containers[0].ports[0].name: Invalid value: "averyveryverylongname": must be no more than 15 characters'],
  },
  {
    name: 'two ports share a name',
    source: 'validateContainerPorts',
    mutate: (p) =>
      (c0(p).ports = [
        { name: 'http', containerPort: 80 },
        { name: 'http', containerPort: 81 },
      ]),
    want: ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
  },
  {
    name: 'two containers claim the same host port',
    source: 'checkHostPortConflicts / AccumulateUniqueHostPorts',
    mutate: (p) =>
      (p.spec.containers = [
        { name: 'a', image: 'busybox:1.35', ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'b', image: 'busybox:1.35', ports: [{ containerPort: 81, hostPort: 8080 }] },
      ]),
    want: ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
  },
  {
    name: 'hostNetwork is set and a host port differs from its container port',
    source: 'validatePodHostNetworkDeps',
    mutate: (p) => {
      p.spec.hostNetwork = true;
      c0(p).ports = [{ containerPort: 80, hostPort: 81 }];
    },
    want: ['spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true'],
  },
  // --- env ---
  {
    name: 'an env var has no name',
    source: 'ValidateEnv',
    mutate: (p) => (c0(p).env = [{ value: 'x' }]),
    want: ['spec.containers[0].env[0].name: Required value'],
  },
  {
    name: "an env var name contains '='",
    source: 'ValidateEnv / IsRelaxedEnvVarName',
    mutate: (p) => (c0(p).env = [{ name: 'A=B', value: 'x' }]),
    want: ["spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"],
  },
  {
    name: 'valueFrom has no source',
    source: 'validateEnvVarValueFrom',
    mutate: (p) => (c0(p).env = [{ name: 'A', valueFrom: {} }]),
    want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'],
  },
  {
    name: 'both value and valueFrom are set',
    source: 'validateEnvVarValueFrom',
    mutate: (p) => (c0(p).env = [{ name: 'A', value: 'x', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }]),
    want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
  },
  {
    name: 'valueFrom has two sources',
    source: 'validateEnvVarValueFrom',
    mutate: (p) =>
      (c0(p).env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } }]),
    want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time'],
  },
  {
    name: 'a fieldRef path is not a pod field',
    source: 'validateObjectFieldSelector / ConvertDownwardAPIFieldLabel',
    mutate: (p) => (c0(p).env = [{ name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.foo' } } }]),
    want: ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo'],
  },
  {
    name: 'a fieldRef path is not available to env',
    source: 'validateObjectFieldSelector (validEnvDownwardAPIFieldPathExpressions)',
    mutate: (p) => (c0(p).env = [{ name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.phase' } } }]),
    want: [
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ],
  },
  {
    name: 'a resourceFieldRef names an unknown resource',
    source: 'validateContainerResourceFieldSelector',
    mutate: (p) => (c0(p).env = [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }]),
    want: [
      'spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
    ],
  },
  {
    name: 'a configMapKeyRef key has a space',
    source: 'validateConfigMapKeySelector / IsConfigMapKey',
    mutate: (p) => (c0(p).env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'bad key!' } } }]),
    want: [`spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Invalid value: "bad key!": ${CONFIG_KEY_MSG}`],
  },
  {
    name: 'a secretKeyRef has neither name nor key',
    source: 'validateSecretKeySelector',
    mutate: (p) => (c0(p).env = [{ name: 'A', valueFrom: { secretKeyRef: {} } }]),
    want: [
      `spec.containers[0].env[0].valueFrom.secretKeyRef.name: Invalid value: "": ${SUBDOMAIN_MSG}`,
      'spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value',
    ],
  },
  {
    name: 'an envFrom entry has no source',
    source: 'ValidateEnvFrom',
    mutate: (p) => (c0(p).envFrom = [{ prefix: 'P_' }]),
    want: ['spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
  },
  {
    name: 'an envFrom configMapRef has no name',
    source: 'validateConfigMapEnvSource',
    mutate: (p) => (c0(p).envFrom = [{ configMapRef: {} }]),
    want: ['spec.containers[0].envFrom[0].configMapRef.name: Required value'],
  },
  // --- volume mounts ---
  {
    name: 'a volume mount names a missing volume',
    source: 'ValidateVolumeMounts',
    mutate: (p) => (c0(p).volumeMounts = [{ name: 'x', mountPath: '/x' }]),
    want: ['spec.containers[0].volumeMounts[0].name: Not found: "x"'],
  },
  {
    name: 'a volume mount has no mountPath',
    source: 'ValidateVolumeMounts',
    mutate: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      c0(p).volumeMounts = [{ name: 'data' }];
    },
    want: ['spec.containers[0].volumeMounts[0].mountPath: Required value'],
  },
  {
    name: 'two mounts share a mountPath',
    source: 'ValidateVolumeMounts',
    mutate: (p) => {
      p.spec.volumes = [
        { name: 'a', emptyDir: {} },
        { name: 'b', emptyDir: {} },
      ];
      c0(p).volumeMounts = [
        { name: 'a', mountPath: '/data' },
        { name: 'b', mountPath: '/data' },
      ];
    },
    want: ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique'],
  },
  {
    name: "a subPath contains '..'",
    source: 'ValidateVolumeMounts / validateLocalDescendingPath (reported without the index)',
    mutate: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      c0(p).volumeMounts = [{ name: 'data', mountPath: '/d', subPath: '../x' }];
    },
    want: ["spec.containers[0].volumeMounts.subPath: Invalid value: \"../x\": must not contain '..'"],
  },
  {
    name: 'a subPath is absolute',
    source: 'ValidateVolumeMounts / validateLocalDescendingPath',
    mutate: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      c0(p).volumeMounts = [{ name: 'data', mountPath: '/d', subPath: '/x' }];
    },
    want: ['spec.containers[0].volumeMounts.subPath: Invalid value: "/x": must be a relative path'],
  },
  {
    name: 'Bidirectional propagation is used by an unprivileged container',
    source: 'validateMountPropagation',
    mutate: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      c0(p).volumeMounts = [{ name: 'data', mountPath: '/d', mountPropagation: 'Bidirectional' }];
    },
    want: ['spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers'],
  },
  {
    name: 'recursiveReadOnly is Enabled on a writable mount',
    source: 'validateMountRecursiveReadOnly',
    mutate: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      c0(p).volumeMounts = [{ name: 'data', mountPath: '/d', recursiveReadOnly: 'Enabled' }];
    },
    want: ['spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when readOnly is true'],
  },
  // --- volumes ---
  {
    name: 'a volume name has upper case letters',
    source: 'ValidateVolumes',
    mutate: (p) => (p.spec.volumes = [{ name: 'Data', emptyDir: {} }]),
    want: [`spec.volumes[0].name: Invalid value: "Data": ${LABEL_MSG}`],
  },
  {
    name: 'two volumes share a name',
    source: 'ValidateVolumes',
    mutate: (p) =>
      (p.spec.volumes = [
        { name: 'data', emptyDir: {} },
        { name: 'data', emptyDir: {} },
      ]),
    want: ['spec.volumes[1].name: Duplicate value: "data"'],
  },
  {
    name: 'a volume has no source',
    source: 'validateVolumeSource',
    mutate: (p) => (p.spec.volumes = [{ name: 'data' }]),
    want: ['spec.volumes[0]: Required value: must specify a volume type'],
  },
  {
    name: 'a volume has two sources',
    source: 'validateVolumeSource',
    mutate: (p) => (p.spec.volumes = [{ name: 'data', emptyDir: {}, hostPath: { path: '/tmp' } }]),
    want: ['spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type'],
  },
  {
    name: 'an emptyDir size limit is negative',
    source: 'validateVolumeSource (emptyDir)',
    mutate: (p) => (p.spec.volumes = [{ name: 'data', emptyDir: { sizeLimit: '-1Gi' } }]),
    want: ['spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity'],
  },
  {
    name: 'a hostPath has no path',
    source: 'validateHostPathVolumeSource',
    mutate: (p) => (p.spec.volumes = [{ name: 'data', hostPath: {} }]),
    want: ['spec.volumes[0].hostPath.path: Required value'],
  },
  {
    name: 'a hostPath type is unknown',
    source: 'validateHostPathType',
    mutate: (p) => (p.spec.volumes = [{ name: 'data', hostPath: { path: '/tmp', type: 'Dir' } }]),
    want: [
      'spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
    ],
  },
  {
    name: 'a configMap volume has no name',
    source: 'validateConfigMapVolumeSource',
    mutate: (p) => (p.spec.volumes = [{ name: 'cfg', configMap: {} }]),
    want: ['spec.volumes[0].configMap.name: Required value'],
  },
  {
    name: "a configMap item has no key and a path with '..'",
    source: 'validateKeyToPath / ValidateLocalNonReservedPath',
    mutate: (p) => (p.spec.volumes = [{ name: 'cfg', configMap: { name: 'cm', items: [{ path: '../x' }] } }]),
    want: ['spec.volumes[0].configMap.items[0].key: Required value', "spec.volumes[0].configMap.items[0].path: Invalid value: \"../x\": must not contain '..'"],
  },
  {
    name: "a configMap item path starts with '..'",
    source: 'ValidateLocalNonReservedPath',
    mutate: (p) => (p.spec.volumes = [{ name: 'cfg', configMap: { name: 'cm', items: [{ key: 'k', path: '..data' }] } }]),
    want: ["spec.volumes[0].configMap.items[0].path: Invalid value: \"..data\": must not start with '..'"],
  },
  {
    name: 'a secret volume default mode is above 0777',
    source: 'validateSecretVolumeSource',
    mutate: (p) => (p.spec.volumes = [{ name: 's', secret: { secretName: 's', defaultMode: 0o1000 } }]),
    want: ['spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive'],
  },
  {
    name: 'a secret volume has no secretName',
    source: 'validateSecretVolumeSource',
    mutate: (p) => (p.spec.volumes = [{ name: 's', secret: {} }]),
    want: ['spec.volumes[0].secret.secretName: Required value'],
  },
  {
    name: 'a downwardAPI item uses a field volumes do not offer',
    source: 'validateDownwardAPIVolumeFile / validateObjectFieldSelector (reported without items[i])',
    mutate: (p) => (p.spec.volumes = [{ name: 'd', downwardAPI: { items: [{ path: 'n', fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } }] } }]),
    want: [
      'spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
    ],
  },
  {
    name: 'a downwardAPI item has no source',
    source: 'validateDownwardAPIVolumeFile',
    mutate: (p) => (p.spec.volumes = [{ name: 'd', downwardAPI: { items: [{ path: 'n' }] } }]),
    want: ['spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required'],
  },
  {
    name: 'a projected source has a secret and a configMap',
    source: 'validateProjectionSources',
    mutate: (p) => (p.spec.volumes = [{ name: 'pr', projected: { sources: [{ secret: { name: 's' }, configMap: { name: 'c' } }] } }]),
    want: ['spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type per source'],
  },
  {
    name: 'two projected sources write the same path',
    source: 'validateProjectionSources',
    mutate: (p) =>
      (p.spec.volumes = [
        {
          name: 'pr',
          projected: {
            sources: [{ configMap: { name: 'cm1', items: [{ key: 'a', path: 'x' }] } }, { configMap: { name: 'cm2', items: [{ key: 'b', path: 'x' }] } }],
          },
        },
      ]),
    want: ['spec.volumes[0].projected: Invalid value: "cm2": conflicting duplicate paths'],
  },
  {
    name: 'a serviceAccountToken projection is used without a service account',
    source: 'validatePodMetadataAndSpec',
    mutate: (p) => (p.spec.volumes = [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3600, path: 'token' } }] } }]),
    want: ['spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set'],
  },
  // --- resources ---
  {
    name: 'the cpu request exceeds the limit',
    source: 'validateResourceRequirements',
    mutate: (p) => (c0(p).resources = { limits: { cpu: '1' }, requests: { cpu: '2' } }),
    want: ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
  },
  {
    name: 'the memory request exceeds the limit (canonical quantities)',
    source: 'validateResourceRequirements',
    mutate: (p) => (c0(p).resources = { limits: { memory: '1024Mi' }, requests: { memory: '2Gi' } }),
    want: ['spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi'],
  },
  {
    name: 'a limit names an unknown resource',
    source: 'validateContainerResourceName',
    mutate: (p) => (c0(p).resources = { limits: { foo: '1' } }),
    want: [
      'spec.containers[0].resources.limits[foo]: Invalid value: "foo": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[foo]: Invalid value: "foo": must be a standard resource for containers',
    ],
  },
  {
    name: 'a cpu limit is negative',
    source: 'ValidateResourceQuantityValue / ValidateNonnegativeQuantity',
    mutate: (p) => (c0(p).resources = { limits: { cpu: '-1' } }),
    want: ['spec.containers[0].resources.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0'],
  },
  {
    name: 'an extended resource is requested without a limit',
    source: 'validateResourceRequirements (IsOvercommitAllowed)',
    mutate: (p) => (c0(p).resources = { requests: { 'example.com/gpu': '1' } }),
    want: ['spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources'],
  },
  {
    name: 'an extended resource quantity is fractional',
    source: 'ValidateResourceQuantityValue (IsIntegerResourceName)',
    mutate: (p) => (c0(p).resources = { limits: { 'example.com/gpu': '500m' }, requests: { 'example.com/gpu': '500m' } }),
    want: [
      'spec.containers[0].resources.limits[example.com/gpu]: Invalid value: 500m: must be an integer',
      'spec.containers[0].resources.requests[example.com/gpu]: Invalid value: 500m: must be an integer',
    ],
  },
  // --- pod-level fields ---
  {
    name: 'the DNS policy is unknown',
    source: 'validateDNSPolicy',
    mutate: (p) => (p.spec.dnsPolicy = 'Bogus'),
    want: ['spec.dnsPolicy: Unsupported value: "Bogus": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
  },
  {
    name: 'the DNS policy is None without dnsConfig',
    source: 'validatePodDNSConfig',
    mutate: (p) => (p.spec.dnsPolicy = 'None'),
    want: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
  },
  {
    name: 'activeDeadlineSeconds is 0',
    source: 'ValidatePodSpec',
    mutate: (p) => (p.spec.activeDeadlineSeconds = 0),
    want: ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
  },
  {
    name: 'terminationGracePeriodSeconds is missing',
    source: 'ValidatePodSpec',
    mutate: () => {},
    afterDefaults: (p) => delete p.spec.terminationGracePeriodSeconds,
    want: ['spec.terminationGracePeriodSeconds: Required value'],
  },
  {
    name: 'the hostname has an underscore',
    source: 'ValidatePodSpec (hostname)',
    mutate: (p) => (p.spec.hostname = 'Host_1'),
    want: [`spec.hostname: Invalid value: "Host_1": ${LABEL_MSG}`],
  },
  {
    name: 'the subdomain has dots',
    source: 'ValidatePodSpec (subdomain)',
    mutate: (p) => (p.spec.subdomain = 'a.b'),
    want: ['spec.subdomain: Invalid value: "a.b": must not contain dots'],
  },
  {
    name: 'a nodeSelector value has a space',
    source: 'ValidatePodSpec / ValidateLabels',
    mutate: (p) => (p.spec.nodeSelector = { disk: 'a b' }),
    want: [`spec.nodeSelector: Invalid value: "a b": ${LABEL_VALUE_MSG}`],
  },
  {
    name: 'a toleration without key uses Equal',
    source: 'ValidateTolerations',
    mutate: (p) => (p.spec.tolerations = [{ operator: 'Equal', value: 'x' }]),
    want: ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
  },
  {
    name: 'a toleration sets tolerationSeconds with effect NoSchedule',
    source: 'ValidateTolerations',
    mutate: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }]),
    want: ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"],
  },
  {
    name: 'a toleration operator is unknown',
    source: 'ValidateTolerations',
    mutate: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Like' }]),
    want: ['spec.tolerations[0].operator: Unsupported value: "Like": supported values: "Equal", "Exists"'],
  },
  {
    name: 'an Exists toleration has a value',
    source: 'ValidateTolerations',
    mutate: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'x' }]),
    want: [
      'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"x", Effect:"", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
    ],
  },
  {
    name: 'a readiness gate condition type has a space',
    source: 'validateReadinessGates',
    mutate: (p) => (p.spec.readinessGates = [{ conditionType: 'bad type' }]),
    want: [`spec.readinessGates[0].conditionType: Invalid value: "bad type": ${NAME_PART_MSG}`],
  },
  // --- security contexts ---
  {
    name: 'a container runAsUser is negative',
    source: 'ValidateSecurityContext',
    mutate: (p) => (c0(p).securityContext = { runAsUser: -1 }),
    want: ['spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive'],
  },
  {
    name: 'the pod fsGroup is negative',
    source: 'validatePodSpecSecurityContext',
    mutate: (p) => (p.spec.securityContext = { fsGroup: -1 }),
    want: ['spec.securityContext.fsGroup: Invalid value: -1: must be between 0 and 4294967295, inclusive'],
  },
  {
    name: 'the pod seccomp profile type is unknown',
    source: 'validateSeccompProfileField',
    mutate: (p) => (p.spec.securityContext = { seccompProfile: { type: 'Foo' } }),
    want: ['spec.securityContext.seccompProfile.type: Unsupported value: "Foo": supported values: "Localhost", "RuntimeDefault", "Unconfined"'],
  },
  {
    name: 'a Localhost seccomp profile has no localhostProfile',
    source: 'validateSeccompProfileField',
    mutate: (p) => (c0(p).securityContext = { seccompProfile: { type: 'Localhost' } }),
    want: ['spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost'],
  },
  {
    name: 'procMount is Unmasked in the host user namespace',
    source: 'ValidateSecurityContext',
    mutate: (p) => (c0(p).securityContext = { procMount: 'Unmasked' }),
    want: ['spec.containers[0].securityContext.procMount: Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`'],
  },
  {
    name: 'ephemeral containers are set on create',
    source: 'ValidatePodCreate',
    mutate: (p) =>
      (p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.35', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }]),
    want: ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
  },
];

test('the invalid pod table has at least 60 cases', () => {
  assert.ok(cases.length >= 60, `only ${cases.length} cases`);
});

for (const c of cases) {
  test(`validatePod reports the Kubernetes errors when ${c.name} [${c.source}]`, () => {
    const p = pod(c.mutate);
    c.afterDefaults?.(p);
    assert.deepEqual(validatePod(p).map(renderFieldError), c.want);
  });
}

test('validatePod output becomes the 422 Status kubectl prints for a duplicate container', () => {
  const p = pod((q) => {
    q.metadata.name = 'dup';
    q.spec.containers = [
      { name: 'kubia', image: 'busybox:1.35' },
      { name: 'kubia', image: 'busybox:1.35' },
    ];
  });
  const status = errors.invalid('Pod', 'dup', validatePod(p)).toStatus();
  assert.equal(status.code, 422);
  assert.equal(status.message, 'Pod "dup" is invalid: spec.containers[1].name: Duplicate value: "kubia"');
  assert.deepEqual(status.details?.causes, [
    { reason: 'FieldValueDuplicate', message: 'Duplicate value: "kubia"', field: 'spec.containers[1].name' },
  ]);
});
