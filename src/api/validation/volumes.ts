/**
 * Pod volumes: validation.go `ValidateVolumes`, `validateVolumeSource` and the
 * per-source functions for the sources berth mounts (emptyDir, hostPath,
 * configMap, secret, downwardAPI, projected, image) plus the required-field
 * checks of the network/cloud sources, so "exactly one source" works for all.
 */
import type { FieldError } from '../field-error.ts';
import {
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  list,
  notSupported,
  obj,
  required,
  str,
  validateEnum,
  type Obj,
} from './field-errors.ts';
import { tryParseQuantity } from './quantity.ts';
import { isDNS1123Label } from './string-formats.ts';
import { validateContainerResourceFieldSelector, validateObjectFieldSelector } from './env.ts';

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Volume sources in the order `validateVolumeSource` checks them, with the path child each uses. */
const sourceOrder: [string, string][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  // Kubernetes misspells this path in the "more than 1 volume type" error.
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

/** Required string fields of sources berth does not mount; checked so errors match. */
const requiredFieldsBySource: Record<string, string[]> = {
  gitRepo: ['repository'],
  gcePersistentDisk: ['pdName'],
  awsElasticBlockStore: ['volumeID'],
  nfs: ['server', 'path'],
  iscsi: ['targetPortal', 'iqn'],
  glusterfs: ['endpoints', 'path'],
  persistentVolumeClaim: ['claimName'],
  rbd: ['image'],
  cinder: ['volumeID'],
  quobyte: ['volume'],
  flexVolume: ['driver'],
  azureFile: ['secretName', 'shareName'],
  vsphereVolume: ['volumePath'],
  photonPersistentDisk: ['pdID'],
  portworxVolume: ['volumeID'],
  azureDisk: ['diskName', 'diskURI'],
  scaleIO: ['gateway', 'system', 'volumeName'],
  csi: ['driver'],
};

/** `ValidateVolumes`: returns the volumes that validated (by name) and the errors. */
export function validateVolumes(volumes: Obj[], path: string): { names: Map<string, Obj>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const names = new Map<string, Obj>();
  volumes.forEach((vol, i) => {
    const idxPath = index(path, i);
    const namePath = child(idxPath, 'name');
    const name = str(vol.name);
    const el = validateVolumeSource(vol, idxPath);
    if (!name) el.push(required(namePath));
    else for (const msg of isDNS1123Label(name)) el.push(invalid(namePath, name, msg));
    if (names.has(name)) el.push(duplicate(namePath, name));
    if (el.length === 0) names.set(name, vol);
    else errs.push(...el);
  });
  return { names, errs };
}

function validateVolumeSource(vol: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const [field, errPath] of sourceOrder) {
    if (vol[field] === undefined || vol[field] === null) continue;
    if (count > 0) {
      errs.push(forbidden(child(path, errPath), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const src = obj(vol[field]);
    const p = child(path, field);
    switch (field) {
      case 'emptyDir': {
        const q = src.sizeLimit === undefined ? undefined : tryParseQuantity(src.sizeLimit);
        if (q && q.sign() < 0) errs.push(forbidden(child(p, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
        break;
      }
      case 'hostPath':
        errs.push(...validateHostPathVolumeSource(src, p));
        break;
      case 'gcePersistentDisk':
        // Kubernetes reports this source's fields under "persistentDisk".
        errs.push(...requiredFields(src, child(path, 'persistentDisk'), requiredFieldsBySource[field]));
        break;
      case 'secret':
        errs.push(...validateSecretVolume(src, p));
        break;
      case 'configMap':
        errs.push(...validateConfigMapVolume(src, p));
        break;
      case 'downwardAPI':
        errs.push(...validateDownwardAPIVolume(src, p));
        break;
      case 'projected':
        errs.push(...validateProjectedVolume(src, p));
        break;
      case 'image':
        errs.push(...validateImageVolume(src, p));
        break;
      case 'ephemeral':
        if (src.volumeClaimTemplate === undefined) errs.push(required(child(p, 'volumeClaimTemplate')));
        break;
      case 'flocker':
        if (!str(src.datasetName) && !str(src.datasetUUID)) errs.push(required(p, 'one of datasetName and datasetUUID is required'));
        break;
      case 'cephfs':
      case 'rbd':
        if (list(src.monitors).length === 0) errs.push(required(child(p, 'monitors')));
        if (field === 'rbd') errs.push(...requiredFields(src, p, requiredFieldsBySource.rbd));
        break;
      case 'fc':
        if (list(src.targetWWNs).length === 0 && list(src.wwids).length === 0) {
          errs.push(required(child(p, 'targetWWNs'), 'must specify either targetWWNs or wwids, but not both'));
        }
        break;
      case 'quobyte':
        if (!str(src.registry)) errs.push(required(child(p, 'registry'), 'must be a host:port pair or multiple pairs separated by commas'));
        errs.push(...requiredFields(src, p, requiredFieldsBySource.quobyte));
        break;
      default:
        errs.push(...requiredFields(src, p, requiredFieldsBySource[field] ?? []));
    }
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

function requiredFields(src: Obj, path: string, fields: readonly string[]): FieldError[] {
  return fields.filter((f) => !str(src[f])).map((f) => required(child(path, f)));
}

const supportedHostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** `validateHostPathVolumeSource`, for pod volumes and PersistentVolumes alike. */
export function validateHostPathVolumeSource(src: Obj, path: string): FieldError[] {
  const p = str(src.path);
  if (!p) return [required(child(path, 'path'))];
  const errs = validatePathNoBacksteps(p, child(path, 'path'));
  if (src.type !== undefined && src.type !== null && !supportedHostPathTypes.includes(str(src.type))) {
    errs.push(notSupported(child(path, 'type'), str(src.type), supportedHostPathTypes));
  }
  return errs;
}

function validateMode(mode: unknown, path: string): FieldError[] {
  if (typeof mode === 'number' && (mode > 0o777 || mode < 0)) return [invalid(path, mode, fileModeErrorMsg)];
  return [];
}

function validateSecretVolume(src: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(src.secretName)) errs.push(required(child(path, 'secretName')));
  errs.push(...validateMode(src.defaultMode, child(path, 'defaultMode')));
  list(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(kp, index(child(path, 'items'), i))));
  return errs;
}

function validateConfigMapVolume(src: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(src.name)) errs.push(required(child(path, 'name')));
  errs.push(...validateMode(src.defaultMode, child(path, 'defaultMode')));
  list(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(kp, index(child(path, 'items'), i))));
  return errs;
}

function validateKeyToPath(kp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(kp.key)) errs.push(required(child(path, 'key')));
  if (!str(kp.path)) errs.push(required(child(path, 'path')));
  errs.push(...validateLocalNonReservedPath(str(kp.path), child(path, 'path')));
  errs.push(...validateMode(kp.mode, child(path, 'mode')));
  return errs;
}

const validVolumeDownwardAPIFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

function validateDownwardAPIFile(file: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(file.path)) errs.push(required(child(path, 'path')));
  errs.push(...validateLocalNonReservedPath(str(file.path), child(path, 'path')));
  if (file.fieldRef) {
    errs.push(...validateObjectFieldSelector(obj(file.fieldRef), validVolumeDownwardAPIFieldPaths, child(path, 'fieldRef')));
    if (file.resourceFieldRef) errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (file.resourceFieldRef) {
    errs.push(...validateContainerResourceFieldSelector(obj(file.resourceFieldRef), child(path, 'resourceFieldRef'), true));
  } else {
    errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateMode(file.mode, child(path, 'mode')));
  return errs;
}

function validateDownwardAPIVolume(src: Obj, path: string): FieldError[] {
  const errs = validateMode(src.defaultMode, child(path, 'defaultMode'));
  // Kubernetes reports item errors without the items[i] index.
  for (const file of list(src.items)) errs.push(...validateDownwardAPIFile(file, path));
  return errs;
}

function validateProjectedVolume(src: Obj, path: string): FieldError[] {
  const errs = validateMode(src.defaultMode, child(path, 'defaultMode'));
  const allPaths = new Set<string>();
  list(src.sources).forEach((source, i) => {
    let numSources = 0;
    const srcPath = index(child(path, 'sources'), i);
    for (const kind of ['secret', 'configMap'] as const) {
      if (!source[kind]) continue;
      numSources++;
      const s = obj(source[kind]);
      const projPath = child(srcPath, kind);
      if (!str(s.name)) errs.push(required(child(projPath, 'name')));
      list(s.items).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, index(child(projPath, 'items'), j)));
        const p = str(kp.path);
        if (p) {
          if (allPaths.has(p)) errs.push(invalid(path, str(s.name), 'conflicting duplicate paths'));
          else allPaths.add(p);
        }
      });
    }
    if (source.downwardAPI) {
      numSources++;
      const projPath = child(srcPath, 'downwardAPI');
      for (const file of list(obj(source.downwardAPI).items)) {
        errs.push(...validateDownwardAPIFile(file, projPath));
        const p = str(file.path);
        if (p) {
          if (allPaths.has(p)) errs.push(invalid(path, p, 'conflicting duplicate paths'));
          else allPaths.add(p);
        }
      }
    }
    if (source.serviceAccountToken) {
      numSources++;
      const sat = obj(source.serviceAccountToken);
      const projPath = child(srcPath, 'serviceAccountToken');
      const exp = typeof sat.expirationSeconds === 'number' ? sat.expirationSeconds : 0;
      if (exp < 600) errs.push(invalid(child(projPath, 'expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(invalid(child(projPath, 'expirationSeconds'), exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!str(sat.path)) errs.push(required(child(path, 'path')));
      else errs.push(...validateLocalNonReservedPath(str(sat.path), child(path, 'path')));
    }
    if (source.clusterTrustBundle) {
      numSources++;
      const ctb = obj(source.clusterTrustBundle);
      const projPath = child(srcPath, 'clusterTrustBundle');
      if (typeof ctb.name !== 'string' && typeof ctb.signerName !== 'string') {
        errs.push(required(projPath, 'either name or signerName must be specified'));
      }
      if (!str(ctb.path)) errs.push(required(child(projPath, 'path')));
      errs.push(...validateLocalNonReservedPath(str(ctb.path), child(projPath, 'path')));
      const p = str(ctb.path);
      if (allPaths.has(p)) errs.push(invalid(path, p, 'conflicting duplicate paths'));
      else allPaths.add(p);
    }
    if (numSources > 1) errs.push(forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

/** `PullPolicy` values, for containers and image volumes alike. */
export const supportedPullPolicies = ['Always', 'IfNotPresent', 'Never'];

function validateImageVolume(src: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ref = str(src.reference);
  if (!ref) errs.push(required(child(path, 'reference')));
  else if (ref.trim() !== ref) errs.push(invalid(child(path, 'reference'), ref, 'must not have leading or trailing whitespace'));
  errs.push(...validateEnum(str(src.pullPolicy), supportedPullPolicies, child(path, 'pullPolicy')));
  return errs;
}

/** `validateLocalDescendingPath`: relative, and no `..` element. */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

/** `validatePathNoBacksteps`: one error however many `..` elements. */
export function validatePathNoBacksteps(target: string, path: string): FieldError[] {
  if (target.split('/').includes('..')) return [invalid(path, target, "must not contain '..'")];
  return [];
}

/** `ValidateLocalNonReservedPath`: also refuses a leading `..` that is not an element (`..data`). */
export function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}
