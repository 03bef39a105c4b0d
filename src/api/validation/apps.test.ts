/**
 * apps/v1 workloads and the exact errors kube-apiserver v1.33 returns for
 * them (pkg/apis/apps/validation validation.go and the registry strategies),
 * in order. Objects are defaulted first, as the API server does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../errors.ts';
import { renderFieldError } from '../field-error.ts';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet } from '../defaults/defaults.ts';
import type { Obj } from './field-errors.ts';
import {
  validateControllerRevision,
  validateControllerRevisionUpdate,
  validateDaemonSet,
  validateDaemonSetStatusUpdate,
  validateDaemonSetUpdate,
  validateDeployment,
  validateDeploymentStatusUpdate,
  validateDeploymentUpdate,
  validateReplicaSet,
  validateReplicaSetStatusUpdate,
  validateReplicaSetUpdate,
} from './validation.ts';

function workload(kind: 'Deployment' | 'ReplicaSet' | 'DaemonSet', mutate: (o: Obj) => void = () => {}): Obj {
  const o: Obj = {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'web', namespace: 'default', resourceVersion: '1' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
  mutate(o);
  if (kind === 'Deployment') defaultDeployment(o as never);
  else if (kind === 'ReplicaSet') defaultReplicaSet(o as never);
  else defaultDaemonSet(o as never);
  return o;
}

const render = (errs: ReturnType<typeof validateDeployment>): string[] => errs.map(renderFieldError);
const tmplSpec = (o: Obj): Obj => o.spec.template.spec;

interface Case {
  name: string;
  mutate: (o: Obj) => void;
  /** Runs after defaulting, to remove what defaulting would add. */
  afterDefaults?: (o: Obj) => void;
  want: string[];
}

const deploymentCases: Case[] = [
  {
    name: 'the selector is missing',
    mutate: (o) => delete o.spec.selector,
    want: [
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ],
  },
  {
    name: 'the selector is empty',
    mutate: (o) => (o.spec.selector = {}),
    want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
  },
  {
    name: 'the selector does not match the template labels',
    mutate: (o) => (o.spec.template.metadata.labels = { app: 'other', tier: 'x' }),
    want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"other", "tier":"x"}: `selector` does not match template `labels`'],
  },
  {
    name: 'a selector expression has an invalid operator',
    mutate: (o) => (o.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Is', values: ['web'] }] }),
    want: [
      'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Is", Values:[]string{"web"}}}}: invalid label selector',
    ],
  },
  {
    name: 'replicas is negative',
    mutate: (o) => (o.spec.replicas = -1),
    want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
  },
  {
    name: 'the template restartPolicy is Never',
    mutate: (o) => (tmplSpec(o).restartPolicy = 'Never'),
    want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  },
  {
    name: 'the template sets activeDeadlineSeconds',
    mutate: (o) => (tmplSpec(o).activeDeadlineSeconds = 30),
    want: ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'],
  },
  {
    name: 'a template container has no image and a bad name',
    mutate: (o) => (tmplSpec(o).containers = [{ name: 'Web_1' }]),
    want: [
      'spec.template.spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
      'spec.template.spec.containers[0].image: Required value',
    ],
  },
  {
    name: 'the template has no containers',
    mutate: (o) => (tmplSpec(o).containers = []),
    want: ['spec.template.spec.containers: Required value'],
  },
  {
    name: 'a template label key is invalid (the path has no metadata segment)',
    mutate: (o) => {
      o.spec.template.metadata.labels['bad key'] = 'x';
    },
    want: [
      'spec.template.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
    ],
  },
  {
    name: 'the template has ephemeral containers',
    mutate: (o) => (tmplSpec(o).ephemeralContainers = [{ name: 'debug', image: 'busybox' }]),
    want: ['spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template'],
  },
  {
    name: 'maxUnavailable and maxSurge are both 0',
    mutate: (o) => (o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }),
    want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
  },
  {
    name: 'maxUnavailable is over 100%',
    mutate: (o) => (o.spec.strategy = { rollingUpdate: { maxUnavailable: '110%' } }),
    want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%'],
  },
  {
    name: 'maxSurge is a string that is no percentage and maxUnavailable is negative',
    mutate: (o) => (o.spec.strategy = { rollingUpdate: { maxUnavailable: -1, maxSurge: 'abc' } }),
    want: [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"abc\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ],
  },
  {
    name: 'strategy Recreate carries rollingUpdate',
    mutate: (o) => (o.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
    want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
  },
  {
    name: 'the strategy type is unknown',
    mutate: (o) => (o.spec.strategy = { type: 'BlueGreen' }),
    want: ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
  },
  {
    name: 'progressDeadlineSeconds is not above minReadySeconds',
    mutate: (o) => {
      o.spec.minReadySeconds = 30;
      o.spec.progressDeadlineSeconds = 30;
    },
    want: ['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds'],
  },
  {
    name: 'minReadySeconds and revisionHistoryLimit are negative',
    mutate: (o) => {
      o.spec.minReadySeconds = -1;
      o.spec.revisionHistoryLimit = -2;
    },
    want: [
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
    ],
  },
  {
    name: 'the name is not a DNS subdomain',
    mutate: (o) => (o.metadata.name = 'Web'),
    want: [
      "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
  },
];

test('a defaulted minimal Deployment is valid', () => {
  assert.deepEqual(render(validateDeployment(workload('Deployment'))), []);
});

for (const c of deploymentCases) {
  test(`validateDeployment reports the Kubernetes errors when ${c.name}`, () => {
    const o = workload('Deployment', c.mutate);
    c.afterDefaults?.(o);
    assert.deepEqual(render(validateDeployment(o)), c.want);
  });
}

test('validateDeployment output becomes the 422 message kubectl prints', () => {
  const o = workload('Deployment', (d) => delete d.spec.selector);
  assert.equal(
    errors.invalid('Deployment.apps', 'web', validateDeployment(o)).toStatus().message,
    'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
  );
});

test('validateDeploymentUpdate refuses a changed selector as immutable', () => {
  const old = workload('Deployment');
  const next = workload('Deployment', (d) => {
    d.spec.selector = { matchLabels: { app: 'web2' } };
    d.spec.template.metadata.labels = { app: 'web2' };
  });
  assert.deepEqual(render(validateDeploymentUpdate(next, old)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
});

test('validateDeploymentUpdate accepts a template change with the same selector', () => {
  const old = workload('Deployment');
  const next = workload('Deployment', (d) => (d.spec.template.spec.containers[0].image = 'nginx:1.28'));
  assert.deepEqual(render(validateDeploymentUpdate(next, old)), []);
});

test('validateDeploymentStatusUpdate reports negative and inconsistent counts and a decremented collisionCount', () => {
  const old = workload('Deployment', (d) => (d.status = { collisionCount: 2 }));
  const next = workload('Deployment', (d) => (d.status = { replicas: 1, readyReplicas: 2, availableReplicas: 3, unavailableReplicas: -1, collisionCount: 1 }));
  assert.deepEqual(render(validateDeploymentStatusUpdate(next, old)), [
    'status.unavailableReplicas: Invalid value: -1: must be greater than or equal to 0',
    'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas',
    'status.collisionCount: Invalid value: 1: cannot be decremented',
  ]);
});

test('validateReplicaSet reports the selector, template and replicas errors', () => {
  const o = workload('ReplicaSet', (rs) => {
    rs.spec.replicas = -3;
    rs.spec.selector = {};
    rs.spec.template.spec.restartPolicy = 'OnFailure';
  });
  assert.deepEqual(render(validateReplicaSet(o)), [
    'spec.replicas: Invalid value: -3: must be greater than or equal to 0',
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  ]);
});

test('validateReplicaSetUpdate refuses a changed selector; a scale is fine', () => {
  const old = workload('ReplicaSet');
  assert.deepEqual(render(validateReplicaSetUpdate(workload('ReplicaSet', (rs) => (rs.spec.replicas = 5)), old)), []);
  const moved = workload('ReplicaSet', (rs) => (rs.spec.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }));
  assert.deepEqual(render(validateReplicaSetUpdate(moved, old)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"DoesNotExist", Values:[]string(nil)}}}: field is immutable',
  ]);
});

test('validateReplicaSetStatusUpdate reports counts above status.replicas', () => {
  const old = workload('ReplicaSet');
  const next = workload('ReplicaSet', (rs) => (rs.status = { replicas: 1, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: -1 }));
  assert.deepEqual(render(validateReplicaSetStatusUpdate(next, old)), [
    'status.observedGeneration: Invalid value: -1: must be greater than or equal to 0',
    'status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas',
  ]);
});

test('validateDaemonSet without a selector reports only the label mismatch', () => {
  const o = workload('DaemonSet', (ds) => delete ds.spec.selector);
  assert.deepEqual(render(validateDaemonSet(o)), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
});

test('validateDaemonSet reports its rolling update rules', () => {
  const both = workload('DaemonSet', (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } }));
  assert.deepEqual(render(validateDaemonSet(both)), [
    'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero',
  ]);
  const none = workload('DaemonSet', (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '0%' } }));
  assert.deepEqual(render(validateDaemonSet(none)), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  const unknown = workload('DaemonSet', (ds) => (ds.spec.updateStrategy = { type: 'Never' }));
  assert.deepEqual(render(validateDaemonSet(unknown)), [
    'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Never", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
  ]);
});

test('validateDaemonSet forbids activeDeadlineSeconds in its own words', () => {
  const o = workload('DaemonSet', (ds) => (ds.spec.template.spec.activeDeadlineSeconds = 5));
  assert.deepEqual(render(validateDaemonSet(o)), ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported']);
});

test('validateDaemonSetUpdate and status update', () => {
  const old = workload('DaemonSet');
  const next = workload('DaemonSet', (ds) => (ds.spec.selector = { matchLabels: { app: 'web', x: 'y' } }));
  const mismatch = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`';
  // ValidateDaemonSet and ValidateDaemonSetUpdate both run: the cause comes twice, the message once.
  assert.deepEqual(render(validateDaemonSetUpdate(next, old)), [
    mismatch,
    mismatch,
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "x":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  assert.equal(
    errors.invalid('DaemonSet.apps', 'web', validateDaemonSetUpdate(next, old)).toStatus().message,
    `DaemonSet.apps "web" is invalid: [${mismatch}, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "x":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable]`,
  );
  const status = workload('DaemonSet', (ds) => (ds.status = { numberReady: -1, currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0 }));
  assert.deepEqual(render(validateDaemonSetStatusUpdate(status, old)), ['status.numberReady: Invalid value: -1: must be greater than or equal to 0']);
});

test('validateControllerRevision requires data and a non-negative revision; data is immutable', () => {
  const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-1', namespace: 'default', resourceVersion: '1' }, revision: -1 };
  assert.deepEqual(render(validateControllerRevision(cr)), [
    'data: Required value: data is mandatory',
    'revision: Invalid value: -1: must be greater than or equal to 0',
  ]);
  const old = { ...cr, revision: 1, data: { a: 1 } };
  assert.deepEqual(render(validateControllerRevisionUpdate({ ...old, revision: 2 }, old)), []);
  assert.deepEqual(render(validateControllerRevisionUpdate({ ...old, data: { a: 2 } }, old)), [
    'data: Invalid value: runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{0x7b, 0x22, 0x61, 0x22, 0x3a, 0x32, 0x7d}, ContentEncoding:"", ContentType:"application/json"}: field is immutable',
  ]);
});

test('selector errors come matchLabels first, then each expression (apimachinery ValidateLabelSelector)', () => {
  const o = workload('Deployment', (d) => {
    d.spec.selector = { matchExpressions: [{ key: 'tier', operator: 'In' }], matchLabels: { app: 'web', 'bad key': 'x' } };
    d.spec.template.metadata.labels = { app: 'web', tier: 'fe' };
  });
  const errs = render(validateDeployment(o));
  assert.equal(errs[0].startsWith('spec.selector.matchLabels: Invalid value: "bad key": name part must consist of'), true, errs[0]);
  assert.equal(errs[1], "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  assert.equal(errs[2].endsWith(': invalid label selector'), true, errs[2]);
});

test('a template under hostNetwork may leave hostPort unset, but not set it to another port (ResourceIsPod false)', () => {
  const ok = workload('DaemonSet', (ds) => {
    ds.spec.template.spec.hostNetwork = true;
    ds.spec.template.spec.containers[0].ports = [{ containerPort: 9100 }];
  });
  assert.deepEqual(render(validateDaemonSet(ok)), []);
  const bad = workload('DaemonSet', (ds) => {
    ds.spec.template.spec.hostNetwork = true;
    ds.spec.template.spec.containers[0].ports = [{ containerPort: 9100, hostPort: 9101 }];
  });
  assert.deepEqual(render(validateDaemonSet(bad)), [
    'spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 9101: must match `containerPort` when `hostNetwork` is true',
  ]);
});
