/**
 * Container environment: validation.go `ValidateEnv`, `validateEnvVarValueFrom`,
 * `ValidateEnvFrom` and the downward-API selectors they share with volumes
 * (`validateObjectFieldSelector`, `validateContainerResourceFieldSelector`).
 */
import type { FieldError } from '../field-error.ts';
import { child, index, invalid, notSupported, obj, required, str, type Obj } from './field-errors.ts';
import { tryParseQuantity } from './quantity.ts';
import { isConfigMapKey, isQualifiedName, isRelaxedEnvVarName, nameIsDNSSubdomain } from './string-formats.ts';

export const validEnvFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

const validContainerResourceFieldPaths = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

/** Labels the downward API converts (pods helper `ConvertDownwardAPIFieldLabel`). */
const convertibleFieldLabels = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']` → [`metadata.labels`, `app`]. */
export function splitSubscriptedPath(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

function convertFieldLabel(apiVersion: string, label: string): { path?: string; error?: string } {
  if (apiVersion !== 'v1') return { error: `unsupported pod version: ${apiVersion}` };
  const sub = splitSubscriptedPath(label);
  if (sub) {
    if (sub[0] === 'metadata.annotations' || sub[0] === 'metadata.labels') return { path: label };
    return { error: `field label does not support subscript: ${label}` };
  }
  if (convertibleFieldLabels.has(label)) return { path: label };
  if (label === 'spec.host') return { path: 'spec.nodeName' };
  return { error: `field label not supported: ${label}` };
}

/** `validateObjectFieldSelector`. */
export function validateObjectFieldSelector(fs: Obj, expressions: readonly string[], path: string): FieldError[] {
  const apiVersion = str(fs.apiVersion);
  const fieldPath = str(fs.fieldPath);
  if (!apiVersion) return [required(child(path, 'apiVersion'))];
  if (!fieldPath) return [required(child(path, 'fieldPath'))];
  const converted = convertFieldLabel(apiVersion, fieldPath);
  if (converted.error !== undefined) {
    return [invalid(child(path, 'fieldPath'), fieldPath, `error converting fieldPath: ${converted.error}`)];
  }
  const internal = converted.path ?? fieldPath;
  const sub = splitSubscriptedPath(internal);
  if (sub) {
    const [p, subscript] = sub;
    const errs: FieldError[] = [];
    if (p === 'metadata.annotations') for (const msg of isQualifiedName(subscript.toLowerCase())) errs.push(invalid(path, subscript.toLowerCase(), msg));
    else if (p === 'metadata.labels') for (const msg of isQualifiedName(subscript)) errs.push(invalid(path, subscript, msg));
    else errs.push(invalid(path, p, 'does not support subscript'));
    return errs;
  }
  if (!expressions.includes(internal)) return [notSupported(child(path, 'fieldPath'), internal, expressions)];
  return [];
}

const memoryDivisors = new Set(['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei']);
const memoryDivisorList = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';

function validateContainerResourceDivisor(resource: string, divisor: unknown, path: string): FieldError[] {
  if (divisor === undefined || divisor === null) return [];
  const q = tryParseQuantity(divisor);
  if (!q || q.isZero()) return [];
  const d = q.toString();
  const errs: FieldError[] = [];
  const p = child(path, 'divisor');
  if (resource === 'limits.cpu' || resource === 'requests.cpu') {
    if (d !== '1m' && d !== '1') errs.push(invalid(p, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
  } else if (resource === 'limits.memory' || resource === 'requests.memory') {
    if (!memoryDivisors.has(d)) errs.push(invalid(p, resource, `only divisor's values ${memoryDivisorList} are supported with the memory resource`));
  } else if (resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') {
    if (!memoryDivisors.has(d)) {
      errs.push(invalid(p, resource, `only divisor's values ${memoryDivisorList} are supported with the local ephemeral storage resource`));
    }
  }
  if (resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-')) {
    if (!memoryDivisors.has(d)) errs.push(invalid(p, resource, `only divisor's values ${memoryDivisorList} are supported with the hugepages resource`));
  }
  return errs;
}

/** `validateContainerResourceFieldSelector`; `volume` requires containerName. */
export function validateContainerResourceFieldSelector(fs: Obj, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs.resource);
  if (volume && !str(fs.containerName)) errs.push(required(child(path, 'containerName')));
  else if (!resource) errs.push(required(child(path, 'resource')));
  else if (!validContainerResourceFieldPaths.includes(resource)) {
    const prefixed = resource.startsWith('limits.hugepages-') || resource.startsWith('requests.hugepages-');
    if (!prefixed) errs.push(notSupported(child(path, 'resource'), resource, validContainerResourceFieldPaths));
  }
  errs.push(...validateContainerResourceDivisor(resource, fs.divisor, path));
  return errs;
}

function validateKeySelector(s: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s.name);
  for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(child(path, 'name'), name, msg));
  const k = str(s.key);
  if (!k) errs.push(required(child(path, 'key')));
  else for (const msg of isConfigMapKey(k)) errs.push(invalid(child(path, 'key'), k, msg));
  return errs;
}

function validateEnvVarValueFrom(ev: Obj, path: string): FieldError[] {
  if (ev.valueFrom === undefined || ev.valueFrom === null) return [];
  const vf = obj(ev.valueFrom);
  const errs: FieldError[] = [];
  let numSources = 0;
  if (vf.fieldRef) {
    numSources++;
    errs.push(...validateObjectFieldSelector(obj(vf.fieldRef), validEnvFieldPaths, child(path, 'fieldRef')));
  }
  if (vf.resourceFieldRef) {
    numSources++;
    errs.push(...validateContainerResourceFieldSelector(obj(vf.resourceFieldRef), child(path, 'resourceFieldRef'), false));
  }
  if (vf.configMapKeyRef) {
    numSources++;
    errs.push(...validateKeySelector(obj(vf.configMapKeyRef), child(path, 'configMapKeyRef')));
  }
  if (vf.secretKeyRef) {
    numSources++;
    errs.push(...validateKeySelector(obj(vf.secretKeyRef), child(path, 'secretKeyRef')));
  }
  if (numSources === 0) {
    errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (str(ev.value)) {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (numSources > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

/** `ValidateEnv` with RelaxedEnvironmentVariableValidation (on by default in v1.33). */
export function validateEnv(vars: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  vars.forEach((ev, i) => {
    const idxPath = index(path, i);
    const name = str(ev.name);
    if (!name) errs.push(required(child(idxPath, 'name')));
    else for (const msg of isRelaxedEnvVarName(name)) errs.push(invalid(child(idxPath, 'name'), name, msg));
    errs.push(...validateEnvVarValueFrom(ev, child(idxPath, 'valueFrom')));
  });
  return errs;
}

/** `ValidateEnvFrom`. */
export function validateEnvFrom(sources: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  sources.forEach((ev, i) => {
    const idxPath = index(path, i);
    const prefix = str(ev.prefix);
    if (prefix) for (const msg of isRelaxedEnvVarName(prefix)) errs.push(invalid(child(idxPath, 'prefix'), prefix, msg));
    let numSources = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      if (!ev[kind]) continue;
      numSources++;
      const name = str(obj(ev[kind]).name);
      const namePath = child(child(idxPath, kind), 'name');
      if (!name) errs.push(required(namePath));
      else for (const msg of nameIsDNSSubdomain(name, true)) errs.push(invalid(namePath, name, msg));
    }
    if (numSources === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (numSources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

