/**
 * The bad-input table (issue 4): invalid manifests sent with the real
 * `kubectl apply`, each with the exact output kubectl prints against a
 * Kubernetes v1.33 API server, and nothing stored afterwards — no object, no
 * event. Expected texts come from kube-apiserver's validation
 * (pkg/apis/core/validation/validation.go, apimachinery's validation
 * helpers), its JSON decoder (sigs.k8s.io/json), its strict field validation,
 * and kubectl's own error printing (MultilineError for several causes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';

const dnsLabel =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dnsSubdomain =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const namePart =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValue =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const configKey =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

interface Case {
  id: string;
  obj: Record<string, any>;
  /** kubectl's whole stderr. */
  want: string;
  cmd?: 'apply' | 'create';
}

function pod(name: string, mutate: (p: any, c: any) => void = () => {}): Record<string, any> {
  const p: any = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'busybox:1.35' }] } };
  mutate(p, p.spec.containers[0]);
  return p;
}

const invalid = (kind: string, name: string, ...causes: string[]) =>
  causes.length === 1 ? `The ${kind} "${name}" is invalid: ${causes[0]}\n` : `The ${kind} "${name}" is invalid: \n${causes.map((c) => `* ${c}\n`).join('')}`;
const cannotHandle = (kind: string, detail: string) =>
  `Error from server (BadRequest): error when creating "STDIN": ${kind} in version "v1" cannot be handled as a ${kind}: ${detail}\n`;

const cases: Case[] = [
  // ValidateObjectMeta / ValidatePodName
  { id: 'no-name', cmd: 'create', obj: pod('x', (p) => (p.metadata = {})), want: invalid('Pod', '', 'metadata.name: Required value: name or generateName is required') },
  { id: 'Bad_Name', obj: pod('Bad_Name'), want: invalid('Pod', 'Bad_Name', `metadata.name: Invalid value: "Bad_Name": ${dnsSubdomain}`) },
  { id: 'label-value', obj: pod('label-value', (p) => (p.metadata.labels = { app: 'no spaces' })), want: invalid('Pod', 'label-value', `metadata.labels: Invalid value: "no spaces": ${labelValue}`) },
  { id: 'label-key', obj: pod('label-key', (p) => (p.metadata.labels = { '-bad': 'x' })), want: invalid('Pod', 'label-key', `metadata.labels: Invalid value: "-bad": ${namePart}`) },
  { id: 'annotation-key', obj: pod('annotation-key', (p) => (p.metadata.annotations = { 'a b': 'x' })), want: invalid('Pod', 'annotation-key', `metadata.annotations: Invalid value: "a b": ${namePart}`) },
  // NamespaceLifecycle admission
  { id: 'no-namespace', obj: pod('no-namespace', (p) => (p.metadata.namespace = 'nosuch')), want: 'Error from server (NotFound): error when creating "STDIN": namespaces "nosuch" not found\n' },
  // validateContainers / validateContainerCommon
  { id: 'no-containers', obj: pod('no-containers', (p) => (p.spec.containers = [])), want: invalid('Pod', 'no-containers', 'spec.containers: Required value') },
  { id: 'no-image', obj: pod('no-image', (_, c) => delete c.image), want: invalid('Pod', 'no-image', 'spec.containers[0].image: Required value') },
  { id: 'image-space', obj: pod('image-space', (_, c) => (c.image = ' busybox:1.35')), want: invalid('Pod', 'image-space', 'spec.containers[0].image: Invalid value: " busybox:1.35": must not have leading or trailing whitespace') },
  { id: 'container-name', obj: pod('container-name', (_, c) => (c.name = 'Web')), want: invalid('Pod', 'container-name', `spec.containers[0].name: Invalid value: "Web": ${dnsLabel}`) },
  { id: 'container-no-name', obj: pod('container-no-name', (_, c) => delete c.name), want: invalid('Pod', 'container-no-name', 'spec.containers[0].name: Required value') },
  { id: 'dup-containers', obj: pod('dup-containers', (p) => p.spec.containers.push({ name: 'app', image: 'busybox:1.35' })), want: invalid('Pod', 'dup-containers', 'spec.containers[1].name: Duplicate value: "app"') },
  // validateInitContainers (docs/kubelet-semantics.md §3.2)
  { id: 'dup-init', obj: pod('dup-init', (p) => (p.spec.initContainers = [{ name: 'app', image: 'busybox:1.35' }])), want: invalid('Pod', 'dup-init', 'spec.initContainers[0].name: Duplicate value: "app"') },
  {
    id: 'init-restart',
    obj: pod('init-restart', (p) => (p.spec.initContainers = [{ name: 'i', image: 'busybox:1.35', restartPolicy: 'OnFailure' }])),
    want: invalid('Pod', 'init-restart', 'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'),
  },
  { id: 'app-restart', obj: pod('app-restart', (_, c) => (c.restartPolicy = 'Always')), want: invalid('Pod', 'app-restart', 'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers') },
  {
    id: 'init-probe',
    obj: pod('init-probe', (p) => (p.spec.initContainers = [{ name: 'i', image: 'busybox:1.35', livenessProbe: { exec: { command: ['true'] } } }])),
    want: invalid('Pod', 'init-probe', 'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'),
  },
  {
    id: 'init-lifecycle',
    obj: pod('init-lifecycle', (p) => (p.spec.initContainers = [{ name: 'i', image: 'busybox:1.35', lifecycle: { postStart: { exec: { command: ['true'] } } } }])),
    want: invalid('Pod', 'init-lifecycle', 'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always'),
  },
  // validateProbe / validateHandler
  {
    id: 'liveness-success',
    obj: pod('liveness-success', (_, c) => (c.livenessProbe = { exec: { command: ['true'] }, successThreshold: 2 })),
    want: invalid('Pod', 'liveness-success', 'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'),
  },
  {
    id: 'startup-success',
    obj: pod('startup-success', (_, c) => (c.startupProbe = { tcpSocket: { port: 80 }, successThreshold: 3 })),
    want: invalid('Pod', 'startup-success', 'spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1'),
  },
  {
    id: 'sidecar-readiness-grace',
    obj: pod('sidecar-readiness-grace', (p) => (p.spec.initContainers = [{ name: 's', image: 'busybox:1.35', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 } }])),
    want: invalid('Pod', 'sidecar-readiness-grace', 'spec.initContainers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes'),
  },
  { id: 'probe-no-handler', obj: pod('probe-no-handler', (_, c) => (c.readinessProbe = { periodSeconds: 5 })), want: invalid('Pod', 'probe-no-handler', 'spec.containers[0].readinessProbe: Required value: must specify a handler type') },
  {
    id: 'probe-two-handlers',
    obj: pod('probe-two-handlers', (_, c) => (c.livenessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } })),
    want: invalid('Pod', 'probe-two-handlers', 'spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'),
  },
  {
    id: 'probe-period',
    obj: pod('probe-period', (_, c) => (c.livenessProbe = { exec: { command: ['true'] }, periodSeconds: -1 })),
    want: invalid('Pod', 'probe-period', 'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0'),
  },
  { id: 'http-port', obj: pod('http-port', (_, c) => (c.readinessProbe = { httpGet: { port: 0 } })), want: invalid('Pod', 'http-port', 'spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive') },
  { id: 'exec-empty', obj: pod('exec-empty', (_, c) => (c.livenessProbe = { exec: { command: [] } })), want: invalid('Pod', 'exec-empty', 'spec.containers[0].livenessProbe.exec.command: Required value') },
  // validateContainerPorts, AccumulateUniqueHostPorts
  { id: 'port-zero', obj: pod('port-zero', (_, c) => (c.ports = [{ containerPort: 0 }])), want: invalid('Pod', 'port-zero', 'spec.containers[0].ports[0].containerPort: Required value') },
  { id: 'port-range', obj: pod('port-range', (_, c) => (c.ports = [{ containerPort: 70000 }])), want: invalid('Pod', 'port-range', 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive') },
  {
    id: 'port-protocol',
    obj: pod('port-protocol', (_, c) => (c.ports = [{ containerPort: 80, protocol: 'tcp' }])),
    want: invalid('Pod', 'port-protocol', 'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'),
  },
  {
    id: 'port-name',
    obj: pod('port-name', (_, c) => (c.ports = [{ containerPort: 80, name: 'HTTP' }])),
    want: invalid(
      'Pod',
      'port-name',
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ),
  },
  {
    id: 'port-dup-name',
    obj: pod('port-dup-name', (_, c) => (c.ports = [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }])),
    want: invalid('Pod', 'port-dup-name', 'spec.containers[0].ports[1].name: Duplicate value: "http"'),
  },
  {
    id: 'host-port-dup',
    obj: pod('host-port-dup', (p, c) => {
      c.ports = [{ containerPort: 80, hostPort: 8080 }];
      p.spec.containers.push({ name: 'b', image: 'busybox:1.35', ports: [{ containerPort: 81, hostPort: 8080 }] });
    }),
    want: invalid('Pod', 'host-port-dup', 'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'),
  },
  // ValidateEnv, validateEnvVarValueFrom, validateObjectFieldSelector
  {
    id: 'env-name',
    obj: pod('env-name', (_, c) => (c.env = [{ name: 'A=B', value: 'x' }])),
    want: invalid('Pod', 'env-name', "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"),
  },
  {
    id: 'env-two-sources',
    obj: pod('env-two-sources', (_, c) => (c.env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } }])),
    want: invalid('Pod', 'env-two-sources', 'spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time'),
  },
  {
    id: 'env-value-and-from',
    obj: pod('env-value-and-from', (_, c) => (c.env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }])),
    want: invalid('Pod', 'env-value-and-from', 'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'),
  },
  {
    id: 'env-fieldpath',
    obj: pod('env-fieldpath', (_, c) => (c.env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.foo' } } }])),
    want: invalid('Pod', 'env-fieldpath', 'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo'),
  },
  // ValidateVolumeMounts (its subPath check uses the list path without an index, as validation.go does)
  { id: 'mount-unknown-volume', obj: pod('mount-unknown-volume', (_, c) => (c.volumeMounts = [{ name: 'data', mountPath: '/data' }])), want: invalid('Pod', 'mount-unknown-volume', 'spec.containers[0].volumeMounts[0].name: Not found: "data"') },
  {
    id: 'mount-no-path',
    obj: pod('mount-no-path', (p, c) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      c.volumeMounts = [{ name: 'data' }];
    }),
    want: invalid('Pod', 'mount-no-path', 'spec.containers[0].volumeMounts[0].mountPath: Required value'),
  },
  {
    id: 'mount-dup-path',
    obj: pod('mount-dup-path', (p, c) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }, { name: 'more', emptyDir: {} }];
      c.volumeMounts = [{ name: 'data', mountPath: '/data' }, { name: 'more', mountPath: '/data' }];
    }),
    want: invalid('Pod', 'mount-dup-path', 'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique'),
  },
  {
    id: 'mount-subpath',
    obj: pod('mount-subpath', (p, c) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      c.volumeMounts = [{ name: 'data', mountPath: '/data', subPath: '../etc' }];
    }),
    want: invalid('Pod', 'mount-subpath', `spec.containers[0].volumeMounts.subPath: Invalid value: "../etc": must not contain '..'`),
  },
  // ValidateVolumes / validateVolumeSource
  {
    id: 'volume-two-sources',
    obj: pod('volume-two-sources', (p) => (p.spec.volumes = [{ name: 'data', emptyDir: {}, hostPath: { path: '/tmp' } }])),
    want: invalid('Pod', 'volume-two-sources', 'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type'),
  },
  { id: 'volume-dup', obj: pod('volume-dup', (p) => (p.spec.volumes = [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }])), want: invalid('Pod', 'volume-dup', 'spec.volumes[1].name: Duplicate value: "data"') },
  { id: 'volume-name', obj: pod('volume-name', (p) => (p.spec.volumes = [{ name: 'My_Data', emptyDir: {} }])), want: invalid('Pod', 'volume-name', `spec.volumes[0].name: Invalid value: "My_Data": ${dnsLabel}`) },
  { id: 'hostpath-empty', obj: pod('hostpath-empty', (p) => (p.spec.volumes = [{ name: 'data', hostPath: { path: '' } }])), want: invalid('Pod', 'hostpath-empty', 'spec.volumes[0].hostPath.path: Required value') },
  {
    id: 'sizelimit',
    obj: pod('sizelimit', (p) => (p.spec.volumes = [{ name: 'data', emptyDir: { sizeLimit: '-1Gi' } }])),
    want: invalid('Pod', 'sizelimit', 'spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity'),
  },
  {
    id: 'configmap-mode',
    obj: pod('configmap-mode', (p) => (p.spec.volumes = [{ name: 'cfg', configMap: { name: 'cfg', defaultMode: 999 } }])),
    want: invalid('Pod', 'configmap-mode', 'spec.volumes[0].configMap.defaultMode: Invalid value: 999: must be a number between 0 and 0777 (octal), both inclusive'),
  },
  {
    id: 'configmap-item-path',
    obj: pod('configmap-item-path', (p) => (p.spec.volumes = [{ name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: '/abs' }] } }])),
    want: invalid('Pod', 'configmap-item-path', 'spec.volumes[0].configMap.items[0].path: Invalid value: "/abs": must be a relative path'),
  },
  // ValidateResourceRequirements (limits are copied into requests by defaulting first)
  {
    id: 'requests-over-limits',
    obj: pod('requests-over-limits', (_, c) => (c.resources = { requests: { cpu: '2' }, limits: { cpu: '1' } })),
    want: invalid('Pod', 'requests-over-limits', 'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'),
  },
  {
    id: 'resource-name',
    obj: pod('resource-name', (_, c) => (c.resources = { limits: { gpu: '1' } })),
    want: invalid(
      'Pod',
      'resource-name',
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ),
  },
  // ValidatePodSpec
  {
    id: 'restart-policy',
    obj: pod('restart-policy', (p) => (p.spec.restartPolicy = 'Sometimes')),
    want: invalid('Pod', 'restart-policy', 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'),
  },
  {
    id: 'dns-policy',
    obj: pod('dns-policy', (p) => (p.spec.dnsPolicy = 'Foo')),
    want: invalid('Pod', 'dns-policy', 'spec.dnsPolicy: Unsupported value: "Foo": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'),
  },
  { id: 'deadline', obj: pod('deadline', (p) => (p.spec.activeDeadlineSeconds = 0)), want: invalid('Pod', 'deadline', 'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive') },
  {
    id: 'pull-policy',
    obj: pod('pull-policy', (_, c) => (c.imagePullPolicy = 'Sometimes')),
    want: invalid('Pod', 'pull-policy', 'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'),
  },
  {
    id: 'message-policy',
    obj: pod('message-policy', (_, c) => (c.terminationMessagePolicy = 'Bogus')),
    want: invalid('Pod', 'message-policy', 'spec.containers[0].terminationMessagePolicy: Unsupported value: "Bogus": supported values: "File", "FallbackToLogsOnError"'),
  },
  { id: 'hostname', obj: pod('hostname', (p) => (p.spec.hostname = 'Bad_Host')), want: invalid('Pod', 'hostname', `spec.hostname: Invalid value: "Bad_Host": ${dnsLabel}`) },
  { id: 'node-selector', obj: pod('node-selector', (p) => (p.spec.nodeSelector = { 'bad key': 'x' })), want: invalid('Pod', 'node-selector', `spec.nodeSelector: Invalid value: "bad key": ${namePart}`) },
  {
    id: 'toleration',
    obj: pod('toleration', (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'x' }])),
    want: invalid(
      'Pod',
      'toleration',
      'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"x", Effect:"", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
    ),
  },
  {
    id: 'several',
    obj: pod('several', (p, c) => {
      delete c.image;
      p.spec.containers.push({ name: 'app', image: 'busybox:1.35' });
      p.spec.restartPolicy = 'Sometimes';
    }),
    want: invalid(
      'Pod',
      'several',
      'spec.containers[0].image: Required value',
      'spec.containers[1].name: Duplicate value: "app"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ),
  },
  // Strict field validation (kubectl sends fieldValidation=Strict)
  {
    id: 'unknown-fields',
    obj: pod('unknown-fields', (p, c) => {
      p.spec.notAField = 1;
      c.imagee = 'x';
    }),
    want: cannotHandle('Pod', 'strict decoding error: unknown field "spec.containers[0].imagee", unknown field "spec.notAField"'),
  },
  // The JSON decoder's type errors
  { id: 'port-string', obj: pod('port-string', (_, c) => (c.ports = [{ containerPort: '80' }])), want: cannotHandle('Pod', 'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32') },
  { id: 'env-number', obj: pod('env-number', (_, c) => (c.env = [{ name: 'PORT', value: 8080 }])), want: cannotHandle('Pod', 'json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string') },
  { id: 'grace-string', obj: pod('grace-string', (p) => (p.spec.terminationGracePeriodSeconds = 'soon')), want: cannotHandle('Pod', 'json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64') },
  { id: 'node-selector-number', obj: pod('node-selector-number', (p) => (p.spec.nodeSelector = { disk: 1 })), want: cannotHandle('Pod', 'json: cannot unmarshal number into Go struct field PodSpec.spec.nodeSelector of type string') },
  { id: 'containers-object', obj: pod('containers-object', (p) => (p.spec.containers = { name: 'app', image: 'busybox:1.35' })), want: cannotHandle('Pod', 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container') },
  { id: 'quantity', obj: pod('quantity', (_, c) => (c.resources = { limits: { memory: '1GB' } })), want: cannotHandle('Pod', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") },
  // kubectl decodes metadata itself and refuses before sending anything
  { id: 'label-number', obj: pod('label-number', (p) => (p.metadata.labels = { version: 1.5 })), want: 'error: unable to decode "STDIN": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string\n' },
  // Discovery: a version the server does not serve
  { id: 'api-version', obj: { ...pod('api-version'), apiVersion: 'v2' }, want: 'error: resource mapping not found for name: "api-version" namespace: "" from "STDIN": no matches for kind "Pod" in version "v2"\nensure CRDs are installed first\n' },
  // ConfigMaps, Secrets, Namespaces
  { id: 'cm-key', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-key' }, data: { 'bad key': 'v' } }, want: invalid('ConfigMap', 'cm-key', `data[bad key]: Invalid value: "bad key": ${configKey}`) },
  {
    id: 'cm-dup-key',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-dup-key' }, data: { a: 'v' }, binaryData: { a: 'dg==' } },
    want: invalid('ConfigMap', 'cm-dup-key', 'data[a]: Invalid value: "a": duplicate of key present in binaryData'),
  },
  { id: 'secret-base64', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'secret-base64' }, data: { pw: 'not base64!' } }, want: cannotHandle('Secret', 'illegal base64 data at input byte 3') },
  { id: 'secret-tls', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'secret-tls' }, type: 'kubernetes.io/tls', data: {} }, want: invalid('Secret', 'secret-tls', 'data[tls.crt]: Required value', 'data[tls.key]: Required value') },
  { id: 'secret-key', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'secret-key' }, stringData: { 'bad key': 'v' } }, want: invalid('Secret', 'secret-key', `data[bad key]: Invalid value: "bad key": ${configKey}`) },
  { id: 'ns-name', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Bad' } }, want: invalid('Namespace', 'Bad', `metadata.name: Invalid value: "Bad": ${dnsLabel}`) },
];

/** Everything a user could find stored, by name. */
async function inventory(node: BerthNode): Promise<string[]> {
  const out = await node.k('get', 'pods,configmaps,secrets,events,namespaces', '-A', '-o', 'name');
  return out.trim().split('\n').filter(Boolean).sort();
}

test(`kubectl apply of ${cases.length} invalid manifests prints Kubernetes' errors and stores nothing`, async (t) => {
  assert.ok(cases.length >= 40);
  const node = await BerthNode.start(t);
  // As on a cluster, the root-CA publisher puts kube-root-ca.crt in each of the four namespaces; wait for all of them.
  const rootCAs = (names: string[]) => names.filter((n) => n === 'configmap/kube-root-ca.crt').length;
  let before = await inventory(node);
  for (let i = 0; i < 50 && rootCAs(before) < 4; i++) {
    await new Promise((r) => setTimeout(r, 100));
    before = await inventory(node);
  }
  assert.deepEqual(
    before.filter((n) => !n.startsWith('namespace/')),
    ['configmap/kube-root-ca.crt', 'configmap/kube-root-ca.crt', 'configmap/kube-root-ca.crt', 'configmap/kube-root-ca.crt'],
    'a fresh node holds no pods, secrets or events, and no ConfigMap but kube-root-ca.crt',
  );

  for (const c of cases) {
    await t.test(c.id, async () => {
      const r = await node.kubectl([c.cmd ?? 'apply', '-f', '-'], { input: JSON.stringify(c.obj) });
      assert.equal(r.code, 1, `${c.id} was accepted: ${r.stdout}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, c.want);
    });
  }

  assert.deepEqual(await inventory(node), before, 'nothing was created: no object, no event');
});
