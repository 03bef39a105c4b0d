/**
 * The ClusterRoles and ClusterRoleBindings kube-apiserver v1.33 reconciles
 * at every start (plugin/pkg/auth/authorizer/rbac/bootstrappolicy
 * policy.go), restricted to those that mean something on berth: no
 * kube-proxy, kube-scheduler, kube-controller-manager or node identities
 * exist here (those components run in-process and never ask), so their
 * roles and bindings are left out.
 *
 * The data is v1.33's with default feature gates. Rules upstream adds only
 * behind gates that are off by default in v1.33 are not here: resource.k8s.io
 * claims in edit/view (DynamicResourceAllocation) and /statusz in
 * system:monitoring (ComponentStatusz). Later releases add nodes/metrics to
 * system:monitoring (1.34) and events.k8s.io events to edit/view (1.35);
 * bootstrap-policy.test.ts pins every shipped rule against v1.33.
 *
 * Each object carries the label kubernetes.io/bootstrapping=rbac-defaults
 * and the annotation rbac.authorization.kubernetes.io/autoupdate=true.
 * Rules are built as rbacv1helpers.NewRule(...).RuleOrDie() builds them:
 * every list sorted.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Subject } from 'kubernetes-types/rbac/v1.js';

export const autoUpdateAnnotation = 'rbac.authorization.kubernetes.io/autoupdate';
export const bootstrappingLabel = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

const read = ['get', 'list', 'watch'];
const write = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const readWrite = [...read, ...write];

const legacy = '';
const apps = 'apps';
const authentication = 'authentication.k8s.io';
const authorization = 'authorization.k8s.io';
const autoscaling = 'autoscaling';
const batch = 'batch';
const coordination = 'coordination.k8s.io';
const discovery = 'discovery.k8s.io';
const extensions = 'extensions';
const networking = 'networking.k8s.io';
const policy = 'policy';
const rbac = 'rbac.authorization.k8s.io';

const sorted = (xs: readonly string[]) => [...xs].sort();

/** NewRule(verbs).Groups(groups).Resources(resources): every list sorted. */
function rule(verbs: readonly string[], groups: readonly string[], resources: readonly string[], names: readonly string[] = []): PolicyRule {
  return { verbs: sorted(verbs), apiGroups: sorted(groups), resources: sorted(resources), ...(names.length ? { resourceNames: sorted(names) } : {}) };
}

/** NewRule(verbs).URLs(urls). */
function urlRule(verbs: readonly string[], urls: readonly string[]): PolicyRule {
  return { verbs: sorted(verbs), nonResourceURLs: sorted(urls) };
}

const aggregateTo = (role: 'admin' | 'edit' | 'view') => ({ [`rbac.authorization.k8s.io/aggregate-to-${role}`]: 'true' });

function clusterRole(name: string, spec: { rules?: PolicyRule[]; labels?: Record<string, string>; aggregate?: 'admin' | 'edit' | 'view' }): ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { ...spec.labels, ...bootstrappingLabel },
      annotations: { [autoUpdateAnnotation]: 'true' },
    },
    ...(spec.aggregate ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: aggregateTo(spec.aggregate) }] } } : {}),
    ...(spec.rules ? { rules: spec.rules } : {}),
  };
}

function group(name: string): Subject {
  return { apiGroup: rbac, kind: 'Group', name };
}

function clusterBinding(name: string, subjects: Subject[]): ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...bootstrappingLabel }, annotations: { [autoUpdateAnnotation]: 'true' } },
    roleRef: { apiGroup: rbac, kind: 'ClusterRole', name },
    subjects,
  };
}

function editRules(): PolicyRule[] {
  return [
    rule(read, [legacy], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
    rule(['impersonate'], [legacy], ['serviceaccounts']),
    rule(write, [legacy], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
    rule(['create'], [legacy], ['pods/eviction']),
    rule(write, [legacy], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
    rule(['create'], [legacy], ['serviceaccounts/token']),
    rule(write, [apps], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
    rule(write, [autoscaling], ['horizontalpodautoscalers']),
    rule(write, [batch], ['jobs', 'cronjobs']),
    rule(write, [extensions], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
    rule(write, [policy], ['poddisruptionbudgets']),
    rule(write, [networking], ['networkpolicies', 'ingresses']),
    rule(readWrite, [coordination], ['leases']),
  ];
}

function viewRules(): PolicyRule[] {
  return [
    rule(read, [legacy], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
    rule(read, [legacy], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
    // Reading namespaces at the namespace scope means reading *this* namespace.
    rule(read, [legacy], ['namespaces']),
    rule(read, [discovery], ['endpointslices']),
    rule(read, [apps], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
    rule(read, [autoscaling], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
    rule(read, [batch], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
    rule(read, [extensions], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
    rule(read, [policy], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
    rule(read, [networking], ['networkpolicies', 'ingresses', 'ingresses/status']),
  ];
}

/** The bootstrap ClusterRoles, in policy.go's order. */
export function bootstrapClusterRoles(): ClusterRole[] {
  return [
    clusterRole('cluster-admin', { rules: [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])] }),
    clusterRole('system:discovery', {
      rules: [urlRule(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*'])],
    }),
    clusterRole('system:monitoring', {
      rules: [urlRule(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'])],
    }),
    clusterRole('system:basic-user', {
      rules: [rule(['create'], [authorization], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], [authentication], ['selfsubjectreviews'])],
    }),
    clusterRole('system:public-info-viewer', { rules: [urlRule(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])] }),
    clusterRole('admin', { aggregate: 'admin' }),
    clusterRole('edit', { aggregate: 'edit', labels: aggregateTo('admin') }),
    clusterRole('view', { aggregate: 'view', labels: aggregateTo('edit') }),
    clusterRole('system:aggregate-to-admin', {
      labels: aggregateTo('admin'),
      rules: [rule(['create'], [authorization], ['localsubjectaccessreviews']), rule(readWrite, [rbac], ['roles', 'rolebindings'])],
    }),
    clusterRole('system:aggregate-to-edit', { labels: aggregateTo('edit'), rules: editRules() }),
    clusterRole('system:aggregate-to-view', { labels: aggregateTo('view'), rules: viewRules() }),
    clusterRole('system:auth-delegator', {
      rules: [rule(['create'], [authentication], ['tokenreviews']), rule(['create'], [authorization], ['subjectaccessreviews'])],
    }),
    clusterRole('system:service-account-issuer-discovery', {
      rules: [urlRule(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])],
    }),
  ];
}

/** The bootstrap ClusterRoleBindings (each named after its ClusterRole). */
export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterBinding('cluster-admin', [group('system:masters')]),
    clusterBinding('system:monitoring', [group('system:monitoring')]),
    clusterBinding('system:discovery', [group('system:authenticated')]),
    clusterBinding('system:basic-user', [group('system:authenticated')]),
    clusterBinding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
  ];
}
