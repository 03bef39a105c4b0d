/**
 * storage.k8s.io/v1 StorageClasses: `pkg/apis/storage/validation`
 * `ValidateStorageClass` and `ValidateStorageClassUpdate` (v1.33).
 */
import type { FieldError } from '../field-error.ts';
import { child, entries, forbidden, index, invalid, list, notSupported, obj, required, str, tooLong } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { specEqual } from './spec-equal.ts';
import { isQualifiedName, nameIsDNSSubdomain } from './string-formats.ts';

const maxProvisionerParameterSize = 256 * (1 << 10);
const maxProvisionerParameterLen = 512;
export const supportedClassReclaimPolicies = ['Delete', 'Retain'];
export const supportedVolumeBindingModes = ['Immediate', 'WaitForFirstConsumer'];

function validateProvisioner(provisioner: string, path: string): FieldError[] {
  if (!provisioner) return [required(path)];
  return isQualifiedName(provisioner.toLowerCase()).map((msg) => invalid(path, provisioner.toLowerCase(), msg));
}

function validateParameters(params: unknown, path: string): FieldError[] {
  const es = entries(params);
  if (es.length > maxProvisionerParameterLen) return [tooLong(path, maxProvisionerParameterLen)];
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of es) {
    if (k.length < 1) errs.push(invalid(path, k, 'field can not be empty.'));
    total += Buffer.byteLength(k) + Buffer.byteLength(str(v));
  }
  if (total > maxProvisionerParameterSize) errs.push(tooLong(path, maxProvisionerParameterSize));
  return errs;
}

export function validateStorageClass(scIn: unknown): FieldError[] {
  const sc = obj(scIn);
  const errs = validateObjectMeta(sc.metadata, false, nameIsDNSSubdomain, 'metadata');
  errs.push(...validateProvisioner(str(sc.provisioner), 'provisioner'));
  errs.push(...validateParameters(sc.parameters, 'parameters'));
  const policy = str(sc.reclaimPolicy);
  if (policy && !supportedClassReclaimPolicies.includes(policy)) errs.push(notSupported('reclaimPolicy', policy, supportedClassReclaimPolicies));
  if (sc.volumeBindingMode === undefined || sc.volumeBindingMode === null) errs.push(required('volumeBindingMode'));
  else if (!supportedVolumeBindingModes.includes(str(sc.volumeBindingMode))) {
    errs.push(notSupported('volumeBindingMode', str(sc.volumeBindingMode), supportedVolumeBindingModes));
  }
  list(sc.allowedTopologies).forEach((term, i) => {
    const tp = child(index('allowedTopologies', i), 'matchLabelExpressions');
    const exprs = list(term.matchLabelExpressions);
    if (exprs.length === 0) errs.push(required(tp, 'must have at least one label expression'));
    exprs.forEach((e, j) => {
      const ep = index(tp, j);
      for (const msg of isQualifiedName(str(e.key))) errs.push(invalid(child(ep, 'key'), str(e.key), msg));
      if (list(e.values).length === 0) errs.push(required(child(ep, 'values'), 'must specify as least one value'));
    });
  });
  return errs;
}

export function validateStorageClassUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs = validateObjectMetaUpdate(n.metadata, o.metadata, 'metadata');
  if (!specEqual('{s}', n.parameters, o.parameters)) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (str(n.provisioner) !== str(o.provisioner)) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (str(n.reclaimPolicy) !== str(o.reclaimPolicy)) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (n.volumeBindingMode !== o.volumeBindingMode) errs.push(invalid('volumeBindingMode', n.volumeBindingMode ?? null, 'field is immutable'));
  return errs;
}
