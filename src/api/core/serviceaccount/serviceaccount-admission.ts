/**
 * The ServiceAccount admission plugin on pod create (kubernetes
 * `plugin/pkg/admission/serviceaccount/admission.go`): the pod's
 * ServiceAccount defaults to `default` and must exist (else the plugin's
 * Forbidden text); unless the pod, else its ServiceAccount, opts out with
 * `automountServiceAccountToken: false`, the projected volume
 * `kube-api-access-<5 chars>` (a bound token, the cluster's CA from the
 * `kube-root-ca.crt` ConfigMap, the namespace) is added and mounted at
 * /var/run/secrets/kubernetes.io/serviceaccount in every init container and
 * container that mounts nothing there; the ServiceAccount's imagePullSecrets
 * are copied to a pod that names none; a ServiceAccount annotated
 * `kubernetes.io/enforce-mountable-secrets: "true"` refuses pods that
 * reference secrets it does not list. Mirror pods are left alone but may
 * not name a ServiceAccount or mount secrets.
 *
 * The admission itself is synchronous and pure: the caller (the registry's
 * pod admission hook, registry.ts) looks ServiceAccounts up and supplies the
 * name generator. The plugin's wait for a `default` ServiceAccount the
 * controller has not created yet is the API server's, around the create
 * (`createAwaitingDefaultServiceAccount`, used by verbs/write.ts).
 */
import type { Container, Pod, ProjectedVolumeSource, ServiceAccount, VolumeMount } from 'kubernetes-types/core/v1.js';
import { errors } from '../../errors.ts';

export const defaultServiceAccountName = 'default';
export const defaultAPITokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The prefix of the injected volume's name (`ServiceAccountVolumeName`). */
export const serviceAccountVolumeName = 'kube-api-access';
/** The ConfigMap the root-CA publisher keeps in every namespace. */
export const rootCAConfigMapName = 'kube-root-ca.crt';
/** `serviceaccount.WarnOnlyBoundTokenExpirationSeconds`. */
export const tokenVolumeExpirationSeconds = 3607;
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';

/** `TokenVolumeSource()`: the projection every automounted pod gets. */
export function tokenVolumeSource(): ProjectedVolumeSource {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: tokenVolumeExpirationSeconds, path: 'token' } },
      { configMap: { name: rootCAConfigMapName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

export interface ServiceAccountAdmissionContext {
  /** The ServiceAccount of that name in the pod's namespace, or undefined. */
  serviceAccount(namespace: string, name: string): ServiceAccount | undefined;
  /** `SimpleNameGenerator.GenerateName`: base plus 5 random characters. */
  generateName(base: string): string;
}

/** Refusals for a missing `default` ServiceAccount, which the serviceaccount controller is about to create. */
const awaitingDefault = new WeakSet<object>();

/** How often and how long kube-apiserver looks for a missing `default` ServiceAccount before refusing. */
export const defaultServiceAccountAttempts = 10;

/**
 * Runs a synchronous pod create, and while it is refused only because the
 * namespace's `default` ServiceAccount does not exist yet, tries again after
 * 100–200 ms, up to 10 attempts in all — the plugin's getServiceAccount,
 * which gives the serviceaccount controller time to create it in a namespace
 * made a moment ago (a manifest with a Namespace and a Pod). The wait is on
 * the platform's timers: it is the API request's own latency, not a loop
 * of the cluster's. Other refusals, and the last one, are thrown.
 */
export async function createAwaitingDefaultServiceAccount<T>(create: () => T, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Promise<T> {
  const interval = 100 + Math.floor(Math.random() * 100);
  for (let attempt = 1; ; attempt++) {
    try {
      return create();
    } catch (err) {
      if (attempt >= defaultServiceAccountAttempts || typeof err !== 'object' || err === null || !awaitingDefault.has(err)) throw err;
    }
    await sleep(interval);
  }
}

/** `shouldAutomount`: the pod's field wins, then the ServiceAccount's, else true. */
export function shouldAutomount(sa: ServiceAccount, pod: Pod): boolean {
  if (pod.spec?.automountServiceAccountToken != null) return pod.spec.automountServiceAccountToken;
  if (sa.automountServiceAccountToken != null) return sa.automountServiceAccountToken;
  return true;
}

/** Admits a new pod (mutating it) or throws the plugin's Forbidden. */
export function admitPodServiceAccount(pod: Pod, ctx: ServiceAccountAdmissionContext): void {
  const spec = pod.spec;
  if (!spec) return;
  const ns = pod.metadata?.namespace ?? '';
  const podName = pod.metadata?.name ?? '';
  if (Object.hasOwn(pod.metadata?.annotations ?? {}, mirrorPodAnnotation)) {
    if (spec.serviceAccountName) throw errors.forbidden('pods', podName, 'a mirror pod may not reference service accounts');
    if (spec.volumes?.some((v) => v.secret)) throw errors.forbidden('pods', podName, 'a mirror pod may not reference secrets');
    return;
  }
  spec.serviceAccountName ||= defaultServiceAccountName;
  const sa = ctx.serviceAccount(ns, spec.serviceAccountName);
  if (!sa) {
    const err = errors.forbidden('pods', podName, `error looking up service account ${ns}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`);
    if (spec.serviceAccountName === defaultServiceAccountName) awaitingDefault.add(err);
    throw err;
  }
  if (shouldAutomount(sa, pod)) mountServiceAccountToken(pod, ctx);
  if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
    spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s.name }));
  }
  // The plugin's Validate: a ServiceAccount that enforces mountable secrets limits what the pod may reference.
  if (enforcesMountableSecrets(sa)) {
    const refusal = secretReferenceRefusal(sa, pod);
    if (refusal) throw errors.forbidden('pods', podName, refusal);
  }
}

/** `kubernetes.io/enforce-mountable-secrets` parsed as Go's strconv.ParseBool. */
function enforcesMountableSecrets(sa: ServiceAccount): boolean {
  const v = sa.metadata?.annotations?.['kubernetes.io/enforce-mountable-secrets'];
  return v !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

/** `limitSecretReferences`: the first reference to a secret the ServiceAccount does not list, in upstream's words. */
export function secretReferenceRefusal(sa: ServiceAccount, pod: Pod): string | undefined {
  const saName = sa.metadata?.name ?? '';
  const mountable = new Set((sa.secrets ?? []).map((s) => s.name));
  const spec = pod.spec!;
  for (const v of spec.volumes ?? []) {
    const name = v.secret?.secretName;
    if (v.secret && !mountable.has(name)) {
      return `volume with secret.secretName="${name ?? ''}" is not allowed because service account ${saName} does not reference that secret`;
    }
  }
  const containers: [string, Container[]][] = [
    ['init container', spec.initContainers ?? []],
    ['container', spec.containers ?? []],
  ];
  for (const [what, list] of containers) {
    for (const c of list) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !mountable.has(ref.name)) {
          return `${what} ${c.name} with envVar ${e.name} referencing secret.secretName="${ref.name ?? ''}" is not allowed because service account ${saName} does not reference that secret`;
        }
      }
      for (const f of c.envFrom ?? []) {
        if (f.secretRef && !mountable.has(f.secretRef.name)) {
          return `${what} ${c.name} with envFrom referencing secret.secretName="${f.secretRef.name ?? ''}" is not allowed because service account ${saName} does not reference that secret`;
        }
      }
    }
  }
  const pullable = new Set((sa.imagePullSecrets ?? []).map((s) => s.name));
  for (const [i, ref] of (spec.imagePullSecrets ?? []).entries()) {
    if (!pullable.has(ref.name)) {
      return `imagePullSecrets[${i}].name="${ref.name ?? ''}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
    }
  }
  return undefined;
}

function mountServiceAccountToken(pod: Pod, ctx: ServiceAccountAdmissionContext): void {
  const spec = pod.spec!;
  const existing = spec.volumes?.find((v) => v.name.startsWith(`${serviceAccountVolumeName}-`));
  const volumeName = existing?.name ?? ctx.generateName(`${serviceAccountVolumeName}-`);
  let needsVolume = false;
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    if (c.volumeMounts?.some((m) => m.mountPath === defaultAPITokenMountPath)) continue;
    const mount: VolumeMount = { name: volumeName, readOnly: true, mountPath: defaultAPITokenMountPath };
    c.volumeMounts = [...(c.volumeMounts ?? []), mount];
    needsVolume = true;
  }
  if (!existing && needsVolume) spec.volumes = [...(spec.volumes ?? []), { name: volumeName, projected: tokenVolumeSource() }];
}
