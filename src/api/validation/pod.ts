/**
 * Pod create, update and status-update validation: validation.go
 * `ValidatePodCreate`, `validatePodMetadataAndSpec`, `ValidatePodUpdate`,
 * `ValidatePodStatusUpdate` and the pod-specific annotation rules.
 */
import { fieldError, FieldErrorType, omitValue, type FieldError } from '../field-error.ts';
import {
  child,
  forbidden,
  GO_NIL,
  index,
  invalid,
  invalidGoSyntax,
  key,
  list,
  obj,
  required,
  str,
  type Obj,
} from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validateImageWhitespace, validatePodSpec, validateTolerations } from './pod-spec.ts';
import { specEqual } from './spec-equal.ts';
import { goCmpDiff } from './spec-diff.ts';
import { inclusiveRangeError, isQualifiedName, isValidIPMessages, nameIsDNSSubdomain } from './string-formats.ts';
import { validateLocalDescendingPath } from './volumes.ts';

const MAX_INT32 = 2147483647;
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
const tolerationsAnnotation = 'scheduler.alpha.kubernetes.io/tolerations';
const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';
const seccompPodAnnotation = 'seccomp.security.alpha.kubernetes.io/pod';
const seccompContainerPrefix = 'container.seccomp.security.alpha.kubernetes.io/';
const appArmorContainerPrefix = 'container.apparmor.security.beta.kubernetes.io/';

/** The first line of kube-apiserver's Forbidden error for an illegal pod update (v1.33). */
export const podUpdateForbiddenPrefix =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Whether a `controller.kubernetes.io/pod-deletion-cost` value is a valid 32-bit integer. */
export function deletionCostValid(value: string): boolean {
  const firstOk = value === '0' || value.startsWith('-') || /^[1-9]/.test(value);
  if (!firstOk || !/^-?[0-9]+$/.test(value)) return false;
  const n = Number(value);
  return n >= -2147483648 && n <= MAX_INT32;
}

function validateSeccompAnnotation(p: string, path: string): FieldError[] {
  if (p === 'runtime/default' || p === 'docker/default' || p === 'unconfined') return [];
  if (p.startsWith('localhost/')) return validateLocalDescendingPath(p.slice('localhost/'.length), path);
  return [invalid(path, p, 'must be a valid seccomp profile')];
}

function allContainerNames(spec: Obj): string[] {
  return [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)].map((c) => str(c.name));
}

/** `ValidatePodSpecificAnnotations` (also run on pod templates). */
export function validatePodAnnotations(annotations: Record<string, unknown>, spec: Obj, path: string, allowInvalidDeletionCost: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (Object.hasOwn(annotations, mirrorPodAnnotation) && !str(spec.nodeName)) {
    errs.push(invalid(key(path, mirrorPodAnnotation), str(annotations[mirrorPodAnnotation]), 'must set spec.nodeName if mirror pod annotation is set'));
  }
  const tol = str(annotations[tolerationsAnnotation]);
  if (tol) {
    try {
      const parsed = JSON.parse(tol);
      if (Array.isArray(parsed) && parsed.length) errs.push(...validateTolerations(parsed, child(path, tolerationsAnnotation)));
    } catch (e) {
      errs.push(invalid(path, tolerationsAnnotation, (e as Error).message));
    }
  }
  if (!allowInvalidDeletionCost && Object.hasOwn(annotations, deletionCostAnnotation) && !deletionCostValid(str(annotations[deletionCostAnnotation]))) {
    errs.push(invalid(key(path, deletionCostAnnotation), str(annotations[deletionCostAnnotation]), 'must be a 32bit integer'));
  }
  if (Object.hasOwn(annotations, seccompPodAnnotation)) {
    errs.push(...validateSeccompAnnotation(str(annotations[seccompPodAnnotation]), child(path, seccompPodAnnotation)));
  }
  for (const [k, v] of Object.entries(annotations)) {
    if (k.startsWith(seccompContainerPrefix)) errs.push(...validateSeccompAnnotation(str(v), child(path, k)));
  }
  const names = allContainerNames(spec);
  for (const [k, v] of Object.entries(annotations)) {
    if (!k.startsWith(appArmorContainerPrefix)) continue;
    const container = k.slice(appArmorContainerPrefix.length);
    if (!names.includes(container)) errs.push(invalid(key(path, k), container, 'container not found'));
    const profile = str(v);
    if (profile && profile !== 'runtime/default' && profile !== 'unconfined' && !profile.startsWith('localhost/')) {
      errs.push(invalid(key(path, k), profile, `invalid AppArmor profile name: ${JSON.stringify(profile)}`));
    }
  }
  return errs;
}

/** `validatePodMetadataAndSpec`. */
function validatePodMetadataAndSpec(pod: Obj, allowInvalidDeletionCost: boolean): FieldError[] {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const errs = validateObjectMeta(meta, true, nameIsDNSSubdomain, 'metadata');
  errs.push(...validatePodAnnotations(obj(meta.annotations), spec, 'metadata.annotations', allowInvalidDeletionCost));
  errs.push(...validatePodSpec(spec, 'spec'));
  if (!str(spec.serviceAccountName)) {
    list(spec.volumes).forEach((vol, vi) => {
      list(obj(vol.projected).sources).forEach((source, si) => {
        if (source.serviceAccountToken) {
          errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  list(spec.containers).forEach((c, i) => errs.push(...validateImageWhitespace(c, index('spec.containers', i))));
  list(spec.initContainers).forEach((c, i) => errs.push(...validateImageWhitespace(c, index('spec.initContainers', i))));
  return errs;
}

function seccompFieldMatches(annotation: string, sp: Obj, path: string): FieldError[] {
  const type = str(sp.type);
  if (type === 'Unconfined' && annotation !== 'unconfined') return [forbidden(child(path, 'type'), 'seccomp type in annotation and field must match')];
  if (type === 'RuntimeDefault' && annotation !== 'runtime/default' && annotation !== 'docker/default') {
    return [forbidden(child(path, 'type'), 'seccomp type in annotation and field must match')];
  }
  if (type === 'Localhost') {
    if (!annotation.startsWith('localhost/')) return [forbidden(child(path, 'type'), 'seccomp type in annotation and field must match')];
    if (typeof sp.localhostProfile !== 'string' || annotation.slice('localhost/'.length) !== sp.localhostProfile) {
      return [forbidden(child(path, 'localhostProfile'), 'seccomp profile in annotation and field must match')];
    }
  }
  return [];
}

/**
 * `validateSeccompAnnotationsAndFields` + `validateAppArmorAnnotationsAndFieldsMatchOnCreate`;
 * `specPath` is `spec` for a Pod, `spec.template.spec` for a workload's template.
 */
export function validateAnnotationsMatchFields(meta: Obj, spec: Obj, specPath = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const ann = obj(meta.annotations);
  const podSC = obj(spec.securityContext);
  if (podSC.seccompProfile && typeof ann[seccompPodAnnotation] === 'string') {
    errs.push(...seccompFieldMatches(ann[seccompPodAnnotation], obj(podSC.seccompProfile), `${specPath}.securityContext.seccompProfile`));
  }
  const visit = (fn: (c: Obj, p: string) => void): void => {
    list(spec.initContainers).forEach((c, i) => fn(c, index(`${specPath}.initContainers`, i)));
    list(spec.containers).forEach((c, i) => fn(c, index(`${specPath}.containers`, i)));
    list(spec.ephemeralContainers).forEach((c, i) => fn(c, index(`${specPath}.ephemeralContainers`, i)));
  };
  visit((c, p) => {
    const sp = obj(c.securityContext).seccompProfile;
    const a = ann[seccompContainerPrefix + str(c.name)];
    if (sp && typeof a === 'string') errs.push(...seccompFieldMatches(a, obj(sp), `${p}.securityContext.seccompProfile`));
  });
  if (str(obj(spec.os).name) !== 'windows') {
    visit((c, p) => {
      const profile = obj(obj(c.securityContext).appArmorProfile ?? podSC.appArmorProfile);
      if (!obj(c.securityContext).appArmorProfile && !podSC.appArmorProfile) return;
      const a = ann[appArmorContainerPrefix + str(c.name)];
      if (typeof a !== 'string') return;
      const ap = `${p}.securityContext.appArmorProfile`;
      const type = str(profile.type);
      if (type === 'Unconfined' && a !== 'unconfined') errs.push(forbidden(child(ap, 'type'), 'apparmor type in annotation and field must match'));
      else if (type === 'RuntimeDefault' && a !== 'runtime/default') errs.push(forbidden(child(ap, 'type'), 'apparmor type in annotation and field must match'));
      else if (type === 'Localhost') {
        if (!a.startsWith('localhost/')) errs.push(forbidden(child(ap, 'type'), 'apparmor type in annotation and field must match'));
        else if (a.slice('localhost/'.length) !== profile.localhostProfile) {
          errs.push(forbidden(child(ap, 'localhostProfile'), 'apparmor profile in annotation and field must match'));
        }
      }
    });
  }
  return errs;
}

/** Validates a Pod for create (`ValidatePodCreate`), after defaulting. */
export function validatePod(podIn: unknown): FieldError[] {
  const pod = obj(podIn);
  const spec = obj(pod.spec);
  const errs = validatePodMetadataAndSpec(pod, false);
  if (list(spec.ephemeralContainers).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && list(spec.schedulingGates).length > 0) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  errs.push(...validateAnnotationsMatchFields(obj(pod.metadata), spec));
  return errs;
}

/** `ValidatePodSpecificAnnotationUpdates`. */
function validateAnnotationUpdates(newPod: Obj, oldPod: Obj, path: string, allowInvalidDeletionCost: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const n = obj(obj(newPod.metadata).annotations);
  const o = obj(obj(oldPod.metadata).annotations);
  for (const [k, v] of Object.entries(o)) {
    if (Object.hasOwn(n, k) && n[k] === v) continue;
    if (k.startsWith(appArmorContainerPrefix)) errs.push(forbidden(key(path, k), 'may not remove or update AppArmor annotations'));
    if (k === mirrorPodAnnotation) errs.push(forbidden(key(path, k), 'may not remove or update mirror pod annotation'));
  }
  for (const k of Object.keys(n)) {
    if (Object.hasOwn(o, k)) continue;
    if (k.startsWith(appArmorContainerPrefix)) errs.push(forbidden(key(path, k), 'may not add AppArmor annotations'));
    if (k === mirrorPodAnnotation) errs.push(forbidden(key(path, k), 'may not add mirror pod annotation'));
  }
  errs.push(...validatePodAnnotations(n, obj(newPod.spec), path, allowInvalidDeletionCost));
  return errs;
}

function validateContainerUpdates(newCtrs: Obj[], oldCtrs: Obj[], path: string): { errs: FieldError[]; stop: boolean } {
  if (newCtrs.length !== oldCtrs.length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  newCtrs.forEach((c, i) => {
    const image = str(c.image);
    if (!image) errs.push(required(child(index(path, i), 'image')));
    if (image.trim() !== image) errs.push(invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function tolerationEqualIgnoringSeconds(a: Obj, b: Obj): boolean {
  return specEqual('Toleration', { ...a, tolerationSeconds: undefined }, { ...b, tolerationSeconds: undefined });
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/** Validates a Pod update (`ValidatePodUpdate`): what a user may change on an existing pod. */
export function validatePodUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const newPod = obj(newIn);
  const oldPod = obj(oldIn);
  const newSpec = obj(newPod.spec);
  const oldSpec = obj(oldPod.spec);
  const allowInvalidDeletionCost = !deletionCostValid(str(obj(obj(oldPod.metadata).annotations)[deletionCostAnnotation] ?? '0'));
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata, 'metadata');
  errs.push(...validatePodMetadataAndSpec(newPod, allowInvalidDeletionCost));
  errs.push(...validateAnnotationUpdates(newPod, oldPod, 'metadata.annotations', allowInvalidDeletionCost));

  for (const kind of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(list(newSpec[kind]), list(oldSpec[kind]), `spec.${kind}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }

  const newADS = typeof newSpec.activeDeadlineSeconds === 'number' ? newSpec.activeDeadlineSeconds : undefined;
  const oldADS = typeof oldSpec.activeDeadlineSeconds === 'number' ? oldSpec.activeDeadlineSeconds : undefined;
  if (newADS !== undefined) {
    if (newADS < 0 || newADS > MAX_INT32) {
      errs.push(invalid('spec.activeDeadlineSeconds', newADS, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (oldADS !== undefined && oldADS < newADS) {
      errs.push(invalid('spec.activeDeadlineSeconds', newADS, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldADS !== undefined) {
    errs.push(invalid('spec.activeDeadlineSeconds', GO_NIL, 'must not update from a positive integer to nil value'));
  }

  const newTols = list(newSpec.tolerations);
  let tolerationsOk = true;
  for (const old of list(oldSpec.tolerations)) {
    if (!newTols.some((t) => tolerationEqualIgnoringSeconds(old, t))) {
      errs.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      tolerationsOk = false;
      break;
    }
  }
  if (tolerationsOk) errs.push(...validateTolerations(newTols, 'spec.tolerations'));

  const newGates = list(newSpec.schedulingGates);
  if (newGates.length) {
    const oldNames = new Set(list(oldSpec.schedulingGates).map((g) => str(g.name)));
    newGates.forEach((g, i) => {
      const name = str(g.name);
      if (!oldNames.has(name)) errs.push(forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
    });
  }

  if (specEqual('PodSpec', newSpec, oldSpec)) return errs;

  const munged: Obj = clone(newSpec);
  const oldCtrs = list(oldSpec.containers);
  const oldInits = list(oldSpec.initContainers);
  munged.containers = list(munged.containers).map((c, i) => ({ ...c, image: oldCtrs[i]?.image }));
  if (Array.isArray(munged.initContainers)) munged.initContainers = munged.initContainers.map((c: Obj, i: number) => ({ ...c, image: oldInits[i]?.image }));
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = clone(oldSpec.schedulingGates);
  munged.tolerations = clone(oldSpec.tolerations);
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!specEqual('PodSpec', munged, oldSpec)) {
    const diff = goCmpDiff('core.PodSpec', oldSpec, munged, (a, b) => specEqualAny(a, b));
    errs.push(forbidden('spec', `${podUpdateForbiddenPrefix}\n${diff}`));
  }
  return errs;
}

function specEqualAny(a: unknown, b: unknown): boolean {
  return specEqual('*', a, b);
}

function validateStateTransitions(newStatuses: Obj[], oldStatuses: Obj[], path: string, restartPolicy: string, restartable: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (restartPolicy === 'Always') return errs;
  oldStatuses.forEach((old, i) => {
    const terminated = obj(old.state).terminated;
    if (!terminated) return;
    if (obj(terminated).exitCode !== 0 && restartPolicy === 'OnFailure') return;
    if (restartable.has(str(old.name))) return;
    for (const n of newStatuses) {
      if (str(n.name) === str(old.name) && !obj(n.state).terminated) {
        errs.push(forbidden(child(index(path, i), 'state'), 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

/** `validatePodIPs` / `validateHostIPs`; they differ only in check order and Go type name. */
function validateIPs(ips: Obj[], path: string, goType: 'PodIP' | 'HostIP'): FieldError[] {
  const errs: FieldError[] = [];
  ips.forEach((ip, i) => {
    for (const msg of isValidIPMessages(str(ip.ip))) errs.push(invalid(index(path, i), str(ip.ip), msg));
  });
  if (ips.length < 2) return errs;
  const dualStack: FieldError[] = [];
  const families = ips.map((ip) => (str(ip.ip).includes(':') ? 6 : 4));
  if (ips.length > 2 || families[0] === families[1]) {
    dualStack.push(invalidGoSyntax(path, `[]core.${goType}{...}`, 'may specify no more than one IP for each IP family'));
  }
  const dups: FieldError[] = [];
  const seen = new Set<string>();
  ips.forEach((ip, i) => {
    // Go prints the struct with %#v.
    if (seen.has(str(ip.ip))) dups.push(fieldError(FieldErrorType.Duplicate, index(path, i), omitValue, `core.${goType}{IP:${JSON.stringify(str(ip.ip))}}`));
    seen.add(str(ip.ip));
  });
  return goType === 'PodIP' ? [...errs, ...dualStack, ...dups] : [...errs, ...dups, ...dualStack];
}

/** Validates a write to pods/status (`ValidatePodStatusUpdate`). */
export function validatePodStatusUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const newPod = obj(newIn);
  const oldPod = obj(oldIn);
  const status = obj(newPod.status);
  const oldStatus = obj(oldPod.status);
  const allowInvalidDeletionCost = !deletionCostValid(str(obj(obj(oldPod.metadata).annotations)[deletionCostAnnotation] ?? '0'));
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata, 'metadata');
  errs.push(...validateAnnotationUpdates(newPod, oldPod, 'metadata.annotations', allowInvalidDeletionCost));
  // Kubernetes builds this path from "metadata", not "status".
  list(status.conditions).forEach((c, i) => {
    const type = str(c.type);
    if (type === 'PodScheduled' || type === 'Ready' || type === 'Initialized') return;
    for (const msg of isQualifiedName(type)) errs.push(invalid(`metadata.conditions[${i}].Type`, type, msg));
  });
  if (str(obj(newPod.spec).nodeName) !== str(obj(oldPod.spec).nodeName)) errs.push(forbidden('status.nodeName', 'may not be changed directly'));
  const nominated = str(status.nominatedNodeName);
  if (nominated && nominated !== str(oldStatus.nominatedNodeName)) {
    for (const msg of nameIsDNSSubdomain(nominated, false)) errs.push(invalid('status.nominatedNodeName', nominated, msg));
  }
  if (str(status.qosClass) !== str(oldStatus.qosClass)) errs.push(invalid('status.qosClass', str(status.qosClass), 'field is immutable'));
  const oldSpec = obj(oldPod.spec);
  const restartable = new Set(list(oldSpec.initContainers).filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));
  errs.push(...validateStateTransitions(list(status.containerStatuses), list(oldStatus.containerStatuses), 'status.containerStatuses', str(oldSpec.restartPolicy), new Set()));
  errs.push(...validateStateTransitions(list(status.initContainerStatuses), list(oldStatus.initContainerStatuses), 'status.initContainerStatuses', str(oldSpec.restartPolicy), restartable));
  errs.push(...validateStateTransitions(list(status.ephemeralContainerStatuses), list(oldStatus.ephemeralContainerStatuses), 'status.ephemeralContainerStatuses', 'Never', new Set()));
  errs.push(...validateIPs(list(status.podIPs), 'status.podIPs', 'PodIP'));
  const hostIPs = list(status.hostIPs);
  if (hostIPs.length) {
    if (str(status.hostIP) !== str(hostIPs[0].ip)) errs.push(invalid('status.hostIPs[0].ip', str(hostIPs[0].ip), 'must be equal to `hostIP`'));
    errs.push(...validateIPs(hostIPs, 'status.hostIPs', 'HostIP'));
  }
  return errs;
}
