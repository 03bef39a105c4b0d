/**
 * `spec` of a Pod: validation.go `ValidatePodSpec` in its order, with the
 * container-list rules (`validateContainers`, `validateInitContainers`,
 * `validateEphemeralContainers`), scheduling fields, DNS and the pod security
 * context. Feature gates are taken at their v1.33 defaults; pod-level
 * `resources` (PodLevelResources, alpha) is not validated.
 */
import type { FieldError } from '../field-error.ts';
import { goQuote } from '../go-format.ts';
import {
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  invalidGoSyntax,
  goStringSlice,
  list,
  notFound,
  notSupported,
  obj,
  required,
  str,
  validateEnum,
  type Obj,
} from './field-errors.ts';
import { validateAppArmorProfile, validateContainerCommon, validateSeccompProfile } from './container.ts';
import { validateLabels } from './object-meta.ts';
import { validateLifecycle, validateLivenessProbe, validateReadinessProbe, validateStartupProbe } from './probes.ts';
import { validateContainerResources } from './resources.ts';
import {
  inclusiveRangeError,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1123SubdomainWithUnderscore,
  isQualifiedName,
  isValidGroupID,
  isValidIPMessages,
  isValidLabelValue,
  isValidUserID,
  nameIsDNSSubdomain,
} from './string-formats.ts';
import { validateVolumes } from './volumes.ts';

const MAX_INT32 = 2147483647;

function hostPortKey(port: Obj): string {
  return `${str(port.protocol)}/${str(port.hostIP)}/${port.hostPort}`;
}

/** `AccumulateUniqueHostPorts` over `containers`, reported relative to `path`. */
function checkHostPortConflicts(containers: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((ctr, ci) => {
    list(ctr.ports).forEach((port, pi) => {
      if (typeof port.hostPort !== 'number' || port.hostPort === 0) return;
      const k = hostPortKey(port);
      if (seen.has(k)) errs.push(duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), k));
      else seen.add(k);
    });
  });
  return errs;
}

/** Hooks and probes of a container that runs alongside others: regular containers and sidecars. */
function validateLifecycleAndProbes(ctr: Obj, grace: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (ctr.lifecycle) errs.push(...validateLifecycle(obj(ctr.lifecycle), grace, child(path, 'lifecycle')));
  errs.push(...validateLivenessProbe(ctr.livenessProbe, grace, child(path, 'livenessProbe')));
  errs.push(...validateReadinessProbe(ctr.readinessProbe, grace, child(path, 'readinessProbe')));
  errs.push(...validateStartupProbe(ctr.startupProbe, grace, child(path, 'startupProbe')));
  return errs;
}

function validateContainers(
  containers: Obj[],
  volumes: Map<string, Obj>,
  grace: number | undefined,
  path: string,
  restartPolicy: string,
  hostUsers: boolean,
): FieldError[] {
  if (containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((ctr, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ctr, volumes, p, restartPolicy, hostUsers));
    const name = str(ctr.name);
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    errs.push(...validateLifecycleAndProbes(ctr, grace, p));
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) {
      errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

const initOnlyForbidden = 'may not be set for init containers without restartPolicy=Always';

function validateInitContainers(
  inits: Obj[],
  regular: Obj[],
  volumes: Map<string, Obj>,
  grace: number | undefined,
  path: string,
  restartPolicy: string,
  hostUsers: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(regular.map((c) => str(c.name)));
  inits.forEach((ctr, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ctr, volumes, p, restartPolicy, hostUsers));
    let restartAlways = false;
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) {
      const rp = str(ctr.restartPolicy);
      if (rp !== 'Always') errs.push(notSupported(child(p, 'restartPolicy'), rp, ['Always']));
      restartAlways = rp === 'Always';
    }
    const name = str(ctr.name);
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else if (name) names.add(name);
    // Init containers run one at a time, so each is checked alone (and reported as index 0, as Kubernetes does).
    errs.push(...checkHostPortConflicts([ctr], path));
    if (restartAlways) {
      errs.push(...validateLifecycleAndProbes(ctr, grace, p));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (ctr[f] !== undefined && ctr[f] !== null) errs.push(forbidden(child(p, f), initOnlyForbidden));
      }
    }
  });
  return errs;
}

/** Fields an ephemeral container may not set (`allowedEphemeralContainerFields` false entries). */
const ephemeralForbiddenFields = ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy', 'restartPolicy'];

function validateEphemeralContainers(
  ephemeral: Obj[],
  containers: Obj[],
  inits: Obj[],
  volumes: Map<string, Obj>,
  path: string,
  restartPolicy: string,
  hostUsers: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  if (ephemeral.length === 0) return errs;
  const other = new Set([...containers, ...inits].map((c) => str(c.name)));
  const all = new Set(other);
  ephemeral.forEach((ec, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ec, volumes, p, restartPolicy, hostUsers));
    errs.push(...validateImageWhitespace(ec, p));
    const name = str(ec.name);
    if (all.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else all.add(name);
    const target = str(ec.targetContainerName);
    if (target && !other.has(target)) errs.push(notFound(child(p, 'targetContainerName'), target));
    for (const f of ephemeralForbiddenFields) {
      const v = ec[f];
      const set = Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && !(typeof v === 'object' && Object.keys(v).length === 0);
      if (set) errs.push(forbidden(child(p, f), 'cannot be set for an Ephemeral Container'));
    }
    list(ec.volumeMounts).forEach((vm, j) => {
      const vp = index(child(p, 'volumeMounts'), j);
      if (str(vm.subPath)) errs.push(forbidden(child(vp, 'subPath'), 'cannot be set for an Ephemeral Container'));
      if (str(vm.subPathExpr)) errs.push(forbidden(child(vp, 'subPathExpr'), 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

/** `validateContainerOnlyForPod`. */
export function validateImageWhitespace(ctr: Obj, path: string): FieldError[] {
  const image = str(ctr.image);
  if (image.trim() !== image) return [invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace')];
  return [];
}

const MaxDNSNameservers = 3;
const MaxDNSSearchPaths = 32;
const MaxDNSSearchListChars = 2048;

function validatePodDNSConfig(dnsConfig: unknown, dnsPolicy: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (dnsPolicy === 'None') {
    if (dnsConfig === undefined || dnsConfig === null) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (list(obj(dnsConfig).nameservers).length === 0) {
      return [required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (dnsConfig === undefined || dnsConfig === null) return errs;
  const c = obj(dnsConfig);
  const nameservers = (Array.isArray(c.nameservers) ? c.nameservers : []).map(String);
  if (nameservers.length > MaxDNSNameservers) {
    errs.push(invalidGoSyntax(child(path, 'nameservers'), goStringSlice(nameservers), `must not have more than ${MaxDNSNameservers} nameservers`));
  }
  nameservers.forEach((ns, i) => {
    for (const msg of isValidIPMessages(ns)) errs.push(invalid(index(child(path, 'nameservers'), i), ns, msg));
  });
  const searches = (Array.isArray(c.searches) ? c.searches : []).map(String);
  if (searches.length > MaxDNSSearchPaths) {
    errs.push(invalidGoSyntax(child(path, 'searches'), goStringSlice(searches), `must not have more than ${MaxDNSSearchPaths} search paths`));
  }
  if (searches.join(' ').length > MaxDNSSearchListChars) {
    errs.push(
      invalidGoSyntax(
        child(path, 'searches'),
        goStringSlice(searches),
        `must not have more than ${MaxDNSSearchListChars} characters (including spaces) in the search list`,
      ),
    );
  }
  searches.forEach((s, i) => {
    // RelaxedDNSSearchValidation is on by default in v1.33.
    if (s === '.') return;
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    for (const msg of isDNS1123SubdomainWithUnderscore(trimmed)) errs.push(invalid(index(child(path, 'searches'), i), trimmed, msg));
  });
  list(c.options).forEach((o, i) => {
    if (!str(o.name)) errs.push(required(index(child(path, 'options'), i), 'must not be empty'));
  });
  return errs;
}

function validateTolerations(tolerations: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = index(path, i);
    const k = str(t.key);
    const op = str(t.operator);
    const value = str(t.value);
    const effect = str(t.effect);
    if (k) for (const msg of isQualifiedName(k)) errs.push(invalid(child(p, 'key'), k, msg));
    if (!k && op !== 'Exists') {
      errs.push(invalid(child(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(invalid(child(p, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(invalid(child(p, 'operator'), value, msgs.join(';')));
    } else if (op === 'Exists') {
      // Go passes the whole struct as the bad value, printed with %#v.
      if (value) errs.push(invalidGoSyntax(child(p, 'operator'), goToleration(t), "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(child(p, 'operator'), op, ['Equal', 'Exists']));
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
      errs.push(notSupported(child(p, 'effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/**
 * `%#v` of a core.Toleration. A set tolerationSeconds is a pointer, which Go
 * prints as an address; berth prints a fixed one.
 */
function goToleration(t: Obj): string {
  const seconds = typeof t.tolerationSeconds === 'number' ? '(*int64)(0xc000010000)' : '(*int64)(nil)';
  return `core.Toleration{Key:${goQuote(str(t.key))}, Operator:${goQuote(str(t.operator))}, Value:${goQuote(str(t.value))}, Effect:${goQuote(str(t.effect))}, TolerationSeconds:${seconds}}`;
}

export { validateTolerations };

function validateHostAliases(aliases: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  aliases.forEach((a, i) => {
    const p = index(path, i);
    for (const msg of isValidIPMessages(str(a.ip))) errs.push(invalid(child(p, 'ip'), str(a.ip), msg));
    (Array.isArray(a.hostnames) ? a.hostnames : []).forEach((h: unknown, j: number) => {
      for (const msg of isDNS1123Subdomain(String(h))) errs.push(invalid(index(child(p, 'hostnames'), j), String(h), msg));
    });
  });
  return errs;
}

function validateNodeSelectorRequirement(rq: Obj, path: string, checkValues: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const op = str(rq.operator);
  const values = (Array.isArray(rq.values) ? rq.values : []).map(String);
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0) errs.push(required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0) errs.push(forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  } else if (op === 'Gt' || op === 'Lt') {
    if (values.length !== 1) errs.push(required(child(path, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
  } else {
    errs.push(invalid(child(path, 'operator'), op, 'not a valid selector operator'));
  }
  for (const msg of isQualifiedName(str(rq.key))) errs.push(invalid(child(path, 'key'), str(rq.key), msg));
  if (checkValues) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(index(child(path, 'values'), i), v, msg));
    });
  }
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: string, checkValues: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(term.matchExpressions).forEach((rq, j) => errs.push(...validateNodeSelectorRequirement(rq, index(child(path, 'matchExpressions'), j), checkValues)));
  list(term.matchFields).forEach((rq, j) => {
    const p = index(child(path, 'matchFields'), j);
    const op = str(rq.operator);
    const values = (Array.isArray(rq.values) ? rq.values : []).map(String);
    if (op === 'In' || op === 'NotIn') {
      if (values.length !== 1) errs.push(required(child(p, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else {
      errs.push(invalid(child(p, 'operator'), op, 'not a valid selector operator'));
    }
    if (str(rq.key) !== 'metadata.name') errs.push(invalid(child(p, 'key'), str(rq.key), 'not a valid field selector key'));
    else values.forEach((v, i) => nameIsDNSSubdomain(v, false).forEach((msg) => errs.push(invalid(index(child(p, 'values'), i), v, msg))));
  });
  return errs;
}

/** `ValidateLabelSelector` (strict: label values must be valid). */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  const s = obj(sel);
  // apimachinery's order: matchLabels, then each expression.
  const errs: FieldError[] = validateLabels(s.matchLabels, child(path, 'matchLabels'));
  list(s.matchExpressions).forEach((e, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const op = str(e.operator);
    const values = (Array.isArray(e.values) ? e.values : []).map(String);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(child(p, 'operator'), op, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(str(e.key))) errs.push(invalid(child(p, 'key'), str(e.key), msg));
    values.forEach((v, j) => isValidLabelValue(v).forEach((msg) => errs.push(invalid(index(child(p, 'values'), j), v, msg))));
  });
  return errs;
}

function validatePodAffinityTerm(term: Obj, path: string): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, child(path, 'labelSelector'));
  errs.push(...validateLabelSelector(term.namespaceSelector, child(path, 'namespaceSelector')));
  for (const ns of (Array.isArray(term.namespaces) ? term.namespaces : []).map(String)) {
    for (const msg of isDNS1123Label(ns)) errs.push(invalid(child(path, 'namespace'), ns, msg));
  }
  const tk = str(term.topologyKey);
  if (!tk) errs.push(required(child(path, 'topologyKey'), 'can not be empty'));
  for (const msg of isQualifiedName(tk)) errs.push(invalid(child(path, 'topologyKey'), tk, msg));
  return errs;
}

function validateAffinity(affinity: unknown, path: string): FieldError[] {
  if (affinity === undefined || affinity === null) return [];
  const a = obj(affinity);
  const errs: FieldError[] = [];
  if (a.nodeAffinity) {
    const na = obj(a.nodeAffinity);
    const p = child(path, 'nodeAffinity');
    if (na.requiredDuringSchedulingIgnoredDuringExecution) {
      const rp = child(p, 'requiredDuringSchedulingIgnoredDuringExecution');
      const terms = list(obj(na.requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms);
      if (terms.length === 0) errs.push(required(child(rp, 'nodeSelectorTerms'), 'must have at least one node selector term'));
      terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, index(child(rp, 'nodeSelectorTerms'), i), true)));
    }
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = index(child(p, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      const w = typeof t.weight === 'number' ? t.weight : 0;
      if (w <= 0 || w > 100) errs.push(invalid(child(tp, 'weight'), w, 'must be in the range 1-100'));
      errs.push(...validateNodeSelectorTerm(obj(t.preference), child(tp, 'preference'), false));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    if (!a[kind]) continue;
    const pa = obj(a[kind]);
    const p = child(path, kind);
    list(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
      errs.push(...validatePodAffinityTerm(t, index(child(p, 'requiredDuringSchedulingIgnoredDuringExecution'), i))),
    );
    list(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = index(child(p, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      const w = typeof t.weight === 'number' ? t.weight : 0;
      if (w <= 0 || w > 100) errs.push(invalid(child(tp, 'weight'), w, 'must be in the range 1-100'));
      errs.push(...validatePodAffinityTerm(obj(t.podAffinityTerm), child(tp, 'podAffinityTerm')));
    });
  }
  return errs;
}

const sysctlFmt = '([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const sysctlRe = new RegExp(`^${sysctlFmt}$`);

function sysctlNamespace(name: string): 'net' | 'ipc' | undefined {
  const n = name.replace(/\//g, '.');
  if (n.startsWith('net.')) return 'net';
  if (n.startsWith('kernel.shm') || n.startsWith('kernel.msg') || n === 'kernel.sem' || n.startsWith('fs.mqueue.')) return 'ipc';
  return undefined;
}

function validatePodSecurityContext(spec: Obj, path: string): FieldError[] {
  const sc = obj(spec.securityContext);
  const errs: FieldError[] = [];
  if (typeof sc.fsGroup === 'number') for (const msg of isValidGroupID(sc.fsGroup)) errs.push(invalid(child(path, 'fsGroup'), sc.fsGroup, msg));
  if (typeof sc.runAsUser === 'number') for (const msg of isValidUserID(sc.runAsUser)) errs.push(invalid(child(path, 'runAsUser'), sc.runAsUser, msg));
  if (typeof sc.runAsGroup === 'number') for (const msg of isValidGroupID(sc.runAsGroup)) errs.push(invalid(child(path, 'runAsGroup'), sc.runAsGroup, msg));
  (Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : []).forEach((g: number, i: number) => {
    for (const msg of isValidGroupID(g)) errs.push(invalid(index(child(path, 'supplementalGroups'), i), g, msg));
  });
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalid(child(path, 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const seen = new Set<string>();
  list(sc.sysctls).forEach((s, i) => {
    const p = child(index(child(path, 'sysctls'), i), 'name');
    const name = str(s.name);
    if (!name) errs.push(required(p));
    else if (name.length > 253 || !sysctlRe.test(name)) errs.push(invalid(p, name, `must have at most 253 characters and match regex ^${sysctlFmt}$`));
    else if (seen.has(name)) errs.push(duplicate(p, name));
    const ns = sysctlNamespace(name);
    if (spec.hostNetwork === true && ns === 'net') errs.push(invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC === true && ns === 'ipc') errs.push(invalid(p, name, "may not be specified when 'hostIPC' is true"));
    seen.add(name);
  });
  if (typeof sc.fsGroupChangePolicy === 'string' && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) {
    errs.push(notSupported(child(path, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, child(path, 'appArmorProfile')));
  if (typeof sc.supplementalGroupsPolicy === 'string' && !['Merge', 'Strict'].includes(sc.supplementalGroupsPolicy)) {
    errs.push(notSupported(child(path, 'supplementalGroupsPolicy'), sc.supplementalGroupsPolicy, ['Merge', 'Strict']));
  }
  if (typeof sc.seLinuxChangePolicy === 'string' && !['MountOption', 'Recursive'].includes(sc.seLinuxChangePolicy)) {
    errs.push(notSupported(child(path, 'seLinuxChangePolicy'), sc.seLinuxChangePolicy, ['MountOption', 'Recursive']));
  }
  return errs;
}

function validateOS(spec: Obj, path: string): FieldError[] {
  if (spec.os === undefined || spec.os === null) return [];
  const name = str(obj(spec.os).name);
  if (!name) return [required(child(child(path, 'os'), 'name'), 'cannot be empty')];
  if (name !== 'linux' && name !== 'windows') return [notSupported(child(path, 'os'), name, ['linux', 'windows'])];
  const errs: FieldError[] = [];
  if (name === 'linux') {
    if (obj(spec.securityContext).windowsOptions) {
      errs.push(forbidden(child(child(path, 'securityContext'), 'windowsOptions'), 'windows options cannot be set for a linux pod'));
    }
    const visit = (ctrs: Obj[], kind: string): void =>
      ctrs.forEach((c, i) => {
        if (obj(c.securityContext).windowsOptions) {
          errs.push(forbidden(`${index(child(path, kind), i)}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
        }
      });
    visit(list(spec.initContainers), 'initContainers');
    visit(list(spec.containers), 'containers');
    visit(list(spec.ephemeralContainers), 'ephemeralContainers');
  }
  return errs;
}

/**
 * `ValidatePodSpec`; `resourceIsPod` is false for the PodSpec of a template
 * (Deployment, DaemonSet, ...), where an unset hostPort under hostNetwork is
 * allowed: the Pod made from it gets the default.
 */
export function validatePodSpec(specIn: unknown, path = 'spec', resourceIsPod = true): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  if (grace === undefined) errs.push(required(child(path, 'terminationGracePeriodSeconds')));
  const hostUsers = obj(spec.securityContext).hostUsers !== false;
  const restartPolicy = str(spec.restartPolicy);
  const { names: volumes, errs: volErrs } = validateVolumes(list(spec.volumes), child(path, 'volumes'));
  errs.push(...volErrs);
  const containers = list(spec.containers);
  const inits = list(spec.initContainers);
  errs.push(...validateContainers(containers, volumes, grace, child(path, 'containers'), restartPolicy, hostUsers));
  errs.push(...validateInitContainers(inits, containers, volumes, grace, child(path, 'initContainers'), restartPolicy, hostUsers));
  errs.push(
    ...validateEphemeralContainers(list(spec.ephemeralContainers), containers, inits, volumes, child(path, 'ephemeralContainers'), restartPolicy, hostUsers),
  );
  if (spec.hostNetwork === true) {
    containers.forEach((c, i) => {
      list(c.ports).forEach((port, j) => {
        const hp = typeof port.hostPort === 'number' ? port.hostPort : 0;
        const cp = typeof port.containerPort === 'number' ? port.containerPort : 0;
        if ((resourceIsPod || hp !== 0) && hp !== cp) {
          errs.push(invalid(child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  errs.push(...validateEnum(restartPolicy, ['Always', 'OnFailure', 'Never'], child(path, 'restartPolicy')));
  errs.push(...validateEnum(str(spec.dnsPolicy), ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], child(path, 'dnsPolicy')));
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(spec, child(path, 'securityContext')));
  errs.push(...validateAffinity(spec.affinity, child(path, 'affinity')));
  errs.push(...validatePodDNSConfig(spec.dnsConfig, str(spec.dnsPolicy), child(path, 'dnsConfig')));
  list(spec.readinessGates).forEach((g, i) => {
    const ct = str(g.conditionType);
    for (const msg of isQualifiedName(ct)) errs.push(invalid(child(index(child(path, 'readinessGates'), i), 'conditionType'), ct, msg));
  });
  const gates = new Set<string>();
  list(spec.schedulingGates).forEach((g, i) => {
    const name = str(g.name);
    const p = index(child(path, 'schedulingGates'), i);
    for (const msg of isQualifiedName(name)) errs.push(invalid(p, name, msg));
    if (gates.has(name)) errs.push(duplicate(p, name));
    gates.add(name);
  });
  if (obj(spec.securityContext).hostUsers === false) {
    if (spec.hostNetwork === true) errs.push(forbidden(child(path, 'hostNetwork'), 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostPID === true) errs.push(forbidden(child(path, 'HostPID'), 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostIPC === true) errs.push(forbidden(child(path, 'HostIPC'), 'when `pod.Spec.HostUsers` is false'));
  }
  for (const [field, value] of [
    ['serviceAccountName', str(spec.serviceAccountName)],
    ['nodeName', str(spec.nodeName)],
  ] as const) {
    if (value) for (const msg of nameIsDNSSubdomain(value, false)) errs.push(invalid(child(path, field), value, msg));
  }
  if (typeof spec.activeDeadlineSeconds === 'number') {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > MAX_INT32) errs.push(invalid(child(path, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const field of ['hostname', 'subdomain'] as const) {
    const v = str(spec[field]);
    if (v) for (const msg of isDNS1123Label(v)) errs.push(invalid(child(path, field), v, msg));
  }
  errs.push(...validateTolerations(list(spec.tolerations), child(path, 'tolerations')));
  errs.push(...validateHostAliases(list(spec.hostAliases), child(path, 'hostAliases')));
  const pcn = str(spec.priorityClassName);
  if (pcn) for (const msg of nameIsDNSSubdomain(pcn, false)) errs.push(invalid(child(path, 'priorityClassName'), pcn, msg));
  if (typeof spec.runtimeClassName === 'string') {
    for (const msg of nameIsDNSSubdomain(spec.runtimeClassName, false)) errs.push(invalid(child(path, 'runtimeClassName'), spec.runtimeClassName, msg));
  }
  if (typeof spec.preemptionPolicy === 'string') {
    errs.push(...validateEnum(spec.preemptionPolicy, ['PreemptLowerPriority', 'Never'], child(path, 'preemptionPolicy')));
  }
  if (spec.overhead !== undefined && spec.overhead !== null) {
    errs.push(...validateContainerResources({ limits: spec.overhead }, child(path, 'overhead')));
  }
  errs.push(...validateOS(spec, path));
  return errs;
}
