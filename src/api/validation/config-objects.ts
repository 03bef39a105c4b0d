/**
 * ConfigMaps, Secrets, Namespaces and Events: validation.go `ValidateConfigMap`,
 * `ValidateConfigMapUpdate`, `ValidateSecret`, `ValidateSecretUpdate`,
 * `ValidateNamespace`, `ValidateNamespaceUpdate`, and events.go
 * `ValidateEventCreate`/`legacyValidateEvent` for core/v1 requests.
 */
import type { FieldError } from '../field-error.ts';
import { entries, forbidden, invalid, key, list, obj, required, str, tooLong } from './field-errors.ts';
import { validateKubeFinalizerName, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { specEqual } from './spec-equal.ts';
import { byteLength, isConfigMapKey, isDNS1123Subdomain, isQualifiedName, nameIsDNSLabel, nameIsDNSSubdomain } from './string-formats.ts';

/** `core.MaxSecretSize`: 1 MiB for the data of a Secret or ConfigMap. */
export const MaxSecretSize = 1 * 1024 * 1024;

/** Bytes of a base64 `data`/`binaryData` value as Go decodes it. */
function decodedLen(v: unknown): number {
  return typeof v === 'string' ? Buffer.from(v, 'base64').length : 0;
}

export function validateConfigMap(cmIn: unknown): FieldError[] {
  const cm = obj(cmIn);
  const errs = validateObjectMeta(cm.metadata, true, nameIsDNSSubdomain, 'metadata');
  const binary = obj(cm.binaryData);
  let total = 0;
  for (const [k, v] of entries(cm.data)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, msg));
    if (Object.hasOwn(binary, k)) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += byteLength(str(v));
  }
  for (const [k, v] of entries(cm.binaryData)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key('binaryData', k), k, msg));
    total += decodedLen(v);
  }
  // field.NewPath("") renders as "[]": the error is about the whole object.
  if (total > MaxSecretSize) errs.push(tooLong('[]', MaxSecretSize));
  return errs;
}

function mapsEqual(a: unknown, b: unknown): boolean {
  return specEqual('{s}', a, b);
}

export function validateConfigMapUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs = validateObjectMetaUpdate(n.metadata, o.metadata, 'metadata');
  if (o.immutable === true) {
    if (n.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!mapsEqual(n.data, o.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
    if (!mapsEqual(n.binaryData, o.binaryData)) errs.push(forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  errs.push(...validateConfigMap(n));
  return errs;
}

function isJSONObject(bytes: Buffer): string | undefined {
  try {
    const v = JSON.parse(bytes.toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'json: cannot unmarshal into Go value of type map[string]interface {}';
    return undefined;
  } catch {
    return 'invalid character looking for beginning of value';
  }
}

export function validateSecret(secretIn: unknown): FieldError[] {
  const secret = obj(secretIn);
  const meta = obj(secret.metadata);
  const errs = validateObjectMeta(meta, true, nameIsDNSSubdomain, 'metadata');
  const data = obj(secret.data);
  let total = 0;
  for (const [k, v] of entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, msg));
    total += decodedLen(v);
  }
  if (total > MaxSecretSize) errs.push(tooLong('data', MaxSecretSize));
  const type = str(secret.type);
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (!str(obj(meta.annotations)['kubernetes.io/service-account.name'])) {
        errs.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const k = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!Object.hasOwn(data, k)) {
        errs.push(required(key('data', k)));
        break;
      }
      // Go's json error text is approximated; the field and value match.
      const problem = isJSONObject(Buffer.from(str(data[k]), 'base64'));
      if (problem) errs.push(invalid(key('data', k), '<secret contents redacted>', problem));
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!Object.hasOwn(data, 'username') && !Object.hasOwn(data, 'password')) {
        errs.push(required(key('data', 'username')));
        errs.push(required(key('data', 'password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (decodedLen(data['ssh-privatekey']) === 0) errs.push(required(key('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!Object.hasOwn(data, 'tls.crt')) errs.push(required(key('data', 'tls.crt')));
      if (!Object.hasOwn(data, 'tls.key')) errs.push(required(key('data', 'tls.key')));
      break;
    default:
  }
  return errs;
}

export function validateSecretUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs = validateObjectMetaUpdate(n.metadata, o.metadata, 'metadata');
  if (str(n.type) !== str(o.type)) errs.push(invalid('type', str(n.type), 'field is immutable'));
  if (o.immutable === true) {
    if (n.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!mapsEqual(n.data, o.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
  }
  errs.push(...validateSecret(n));
  return errs;
}

export function validateNamespace(nsIn: unknown): FieldError[] {
  const ns = obj(nsIn);
  const errs = validateObjectMeta(ns.metadata, false, nameIsDNSLabel, 'metadata');
  for (const f of list(obj(ns.spec).finalizers).map(String)) {
    for (const msg of isQualifiedName(f)) errs.push(invalid('spec.finalizers', f, msg));
    errs.push(...validateKubeFinalizerName(f, 'spec.finalizers'));
  }
  return errs;
}

export function validateNamespaceUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  return validateObjectMetaUpdate(obj(newIn).metadata, obj(oldIn).metadata, 'metadata');
}

const ReportingInstanceLengthLimit = 128;
const ActionLengthLimit = 128;
const ReasonLengthLimit = 128;
const NoteLengthLimit = 1024;

/** core/v1 Events: only the legacy checks apply (`ValidateEventCreate` for v1 requests). */
export function validateEvent(evIn: unknown): FieldError[] {
  const ev = obj(evIn);
  const errs: FieldError[] = [];
  const namespace = str(obj(ev.metadata).namespace);
  const involvedNs = str(obj(ev.involvedObject).namespace);
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (namespace !== '' && namespace !== 'default') errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    } else if (namespace !== involvedNs) {
      errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNs && namespace !== 'default' && namespace !== 'kube-system') {
      errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
    const rc = str(ev.reportingComponent);
    if (!rc) errs.push(required('reportingController'));
    for (const msg of isQualifiedName(rc)) errs.push(invalid('reportingController', rc, msg));
    const ri = str(ev.reportingInstance);
    if (!ri) errs.push(required('reportingInstance'));
    if (byteLength(ri) > ReportingInstanceLengthLimit) errs.push(invalid('reportingInstance', '', `can have at most ${ReportingInstanceLengthLimit} characters`));
    const action = str(ev.action);
    if (!action) errs.push(required('action'));
    if (byteLength(action) > ActionLengthLimit) errs.push(invalid('action', '', `can have at most ${ActionLengthLimit} characters`));
    const reason = str(ev.reason);
    if (!reason) errs.push(required('reason'));
    if (byteLength(reason) > ReasonLengthLimit) errs.push(invalid('reason', '', `can have at most ${ReasonLengthLimit} characters`));
    if (byteLength(str(ev.message)) > NoteLengthLimit) errs.push(invalid('message', '', `can have at most ${NoteLengthLimit} characters`));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(invalid('namespace', namespace, msg));
  return errs;
}


