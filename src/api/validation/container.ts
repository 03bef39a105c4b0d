/**
 * One container: validation.go `validateContainerCommon` and what it calls
 * (ports, env, volume mounts and devices, pull policy, resources, resize
 * policy, security context). The per-list rules (names unique, probes,
 * restartPolicy) live in pod-spec.ts.
 */
import type { FieldError } from '../field-error.ts';
import {
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  invalidGoSyntax,
  list,
  notFound,
  notSupported,
  obj,
  required,
  str,
  tooLong,
  validateEnum,
  type Obj,
} from './field-errors.ts';
import { validateEnv, validateEnvFrom } from './env.ts';
import { validateContainerResources } from './resources.ts';
import { isDNS1123Label, isValidGroupID, isValidPortName, isValidPortNum, isValidUserID } from './string-formats.ts';
import { supportedPullPolicies, validateLocalDescendingPath } from './volumes.ts';

const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];
const supportedTerminationMessagePolicies = ['File', 'FallbackToLogsOnError'];
const supportedMountPropagations = ['Bidirectional', 'HostToContainer', 'None'];
const supportedRecursiveReadOnly = ['Disabled', 'Enabled', 'IfPossible'];
const supportedResizeResources = ['cpu', 'memory'];
const supportedResizePolicies = ['NotRequired', 'RestartContainer'];

function validateContainerPorts(ports: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const idxPath = index(path, i);
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const msg of msgs) errs.push(invalid(child(idxPath, 'name'), name, msg));
      else if (names.has(name)) errs.push(duplicate(child(idxPath, 'name'), name));
      else names.add(name);
    }
    const cp = typeof port.containerPort === 'number' ? port.containerPort : 0;
    if (cp === 0) errs.push(required(child(idxPath, 'containerPort')));
    else for (const msg of isValidPortNum(cp)) errs.push(invalid(child(idxPath, 'containerPort'), cp, msg));
    const hp = typeof port.hostPort === 'number' ? port.hostPort : 0;
    if (hp !== 0) for (const msg of isValidPortNum(hp)) errs.push(invalid(child(idxPath, 'hostPort'), hp, msg));
    errs.push(...validateEnum(str(port.protocol), supportedPortProtocols, child(idxPath, 'protocol')));
  });
  return errs;
}

function isPrivileged(ctr: Obj): boolean {
  return obj(ctr.securityContext).privileged === true;
}

function validateVolumeMounts(
  mounts: Obj[],
  devices: Map<string, string>,
  volumes: Map<string, Obj>,
  ctr: Obj,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  mounts.forEach((mnt, i) => {
    const idxPath = index(path, i);
    const name = str(mnt.name);
    const mountPath = str(mnt.mountPath);
    if (!name) errs.push(required(child(idxPath, 'name')));
    if (!volumes.has(name)) errs.push(notFound(child(idxPath, 'name'), name));
    if (!mountPath) errs.push(required(child(idxPath, 'mountPath')));
    if (mountPoints.has(mountPath)) errs.push(invalid(child(idxPath, 'mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    if (devices.has(name)) errs.push(invalid(child(idxPath, 'name'), name, 'must not already exist in volumeDevices'));
    if ([...devices.values()].includes(mountPath)) {
      errs.push(invalid(child(idxPath, 'mountPath'), mountPath, 'must not already exist as a path in volumeDevices'));
    }
    const subPath = str(mnt.subPath);
    const subPathExpr = str(mnt.subPathExpr);
    if (volumes.get(name)?.image) {
      if (subPath) errs.push(invalid(child(idxPath, 'subPath'), subPath, 'not allowed in image volume sources'));
      if (subPathExpr) errs.push(invalid(child(idxPath, 'subPathExpr'), subPathExpr, 'not allowed in image volume sources'));
    }
    // Kubernetes reports subPath problems on the list path, without the index.
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, child(path, 'subPath')));
    if (subPathExpr) {
      if (subPath) errs.push(invalid(child(idxPath, 'subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, child(path, 'subPathExpr')));
    }
    const propagation = mnt.mountPropagation;
    if (typeof propagation === 'string') {
      const p = child(path, 'mountPropagation');
      if (!supportedMountPropagations.includes(propagation)) errs.push(notSupported(p, propagation, supportedMountPropagations));
      if (propagation === 'Bidirectional' && !isPrivileged(ctr)) {
        errs.push(forbidden(p, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    const rro = mnt.recursiveReadOnly;
    if (typeof rro === 'string') {
      const p = child(path, 'recursiveReadOnly');
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (mnt.readOnly !== true) errs.push(forbidden(p, 'may only be specified when readOnly is true'));
        if (typeof propagation === 'string' && propagation !== 'None') {
          errs.push(forbidden(p, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else if (rro !== 'Disabled') {
        errs.push(notSupported(p, rro, supportedRecursiveReadOnly));
      }
    }
  });
  return errs;
}

function validateVolumeDevices(devices: Obj[], mounts: Map<string, string>, volumes: Map<string, Obj>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  const names = new Set<string>();
  devices.forEach((dev, i) => {
    const idxPath = index(path, i);
    const name = str(dev.name);
    const devPath = str(dev.devicePath);
    const vol = volumes.get(name);
    const isPVC = !!vol && (!!vol.persistentVolumeClaim || !!vol.ephemeral);
    if (!name) errs.push(required(child(idxPath, 'name')));
    if (names.has(name)) errs.push(invalid(child(idxPath, 'name'), name, 'must be unique'));
    if (vol && !isPVC) {
      errs.push(invalid(child(idxPath, 'name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!vol) errs.push(notFound(child(idxPath, 'name'), name));
    if (!devPath) errs.push(required(child(idxPath, 'devicePath')));
    if (paths.has(devPath)) errs.push(invalid(child(idxPath, 'devicePath'), devPath, 'must be unique'));
    if (devPath && devPath.split('/').includes('..')) {
      errs.push(invalid(child(idxPath, 'devicePath'), devPath, "can not contain backsteps ('..')"));
    } else {
      paths.add(devPath);
    }
    if (mounts.has(name)) errs.push(invalid(child(idxPath, 'name'), name, 'must not already exist in volumeMounts'));
    if ([...mounts.values()].includes(devPath)) {
      errs.push(invalid(child(idxPath, 'devicePath'), devPath, 'must not already exist as a path in volumeMounts'));
    }
    if (name) names.add(name);
  });
  return errs;
}

function validateResizePolicy(policies: Obj[], path: string, podRestartPolicy: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  policies.forEach((p, i) => {
    const resourceName = str(p.resourceName);
    const restartPolicy = str(p.restartPolicy);
    if (seen.has(resourceName)) errs.push(duplicate(index(path, i), resourceName));
    seen.add(resourceName);
    errs.push(...validateEnum(resourceName, supportedResizeResources, path));
    errs.push(...validateEnum(restartPolicy, supportedResizePolicies, path));
    if (podRestartPolicy === 'Never' && restartPolicy !== 'NotRequired') {
      errs.push(invalid(path, restartPolicy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
  return errs;
}

const seccompTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'];

/** `validateSeccompProfileField`. */
export function validateSeccompProfile(spIn: unknown, path: string): FieldError[] {
  if (spIn === undefined || spIn === null) return [];
  const sp = obj(spIn);
  const errs: FieldError[] = [];
  const type = str(sp.type);
  if (!type) errs.push(required(child(path, 'type'), 'type is required when seccompProfile is set'));
  else if (!seccompTypes.includes(type)) errs.push(notSupported(child(path, 'type'), type, seccompTypes));
  if (type === 'Localhost') {
    if (typeof sp.localhostProfile !== 'string') errs.push(required(child(path, 'localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(sp.localhostProfile, child(path, 'localhostProfile')));
  } else if (typeof sp.localhostProfile === 'string') {
    errs.push(
      invalidGoSyntax(
        child(path, 'localhostProfile'),
        `core.SeccompProfile{Type:"${type}", LocalhostProfile:"${sp.localhostProfile}"}`,
        'can only be set when seccomp type is Localhost',
      ),
    );
  }
  return errs;
}

const appArmorTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'];

/** `ValidateAppArmorProfileField`. */
export function validateAppArmorProfile(pIn: unknown, path: string): FieldError[] {
  if (pIn === undefined || pIn === null) return [];
  const p = obj(pIn);
  const errs: FieldError[] = [];
  const type = str(p.type);
  const lp = p.localhostProfile;
  if (type === 'Localhost') {
    if (typeof lp !== 'string') errs.push(required(child(path, 'localhostProfile'), 'must be set when AppArmor type is Localhost'));
    else {
      if (lp.trim() !== lp) errs.push(invalid(child(path, 'localhostProfile'), lp, 'must not be padded with whitespace'));
      else if (lp === '') errs.push(required(child(path, 'localhostProfile'), 'must be set when AppArmor type is Localhost'));
      if (Buffer.byteLength(lp) > 4095) errs.push(tooLong(child(path, 'localhostProfile'), 4095));
    }
  } else if (type === 'RuntimeDefault' || type === 'Unconfined') {
    if (typeof lp === 'string') errs.push(invalid(child(path, 'localhostProfile'), lp, 'can only be set when AppArmor type is Localhost'));
  } else if (!type) {
    errs.push(required(child(path, 'type'), 'type is required when appArmorProfile is set'));
  } else {
    errs.push(notSupported(child(path, 'type'), type, appArmorTypes));
  }
  return errs;
}

/** `ValidateSecurityContext` (container level). berth allows privileged containers. */
function validateSecurityContext(scIn: unknown, path: string, hostUsers: boolean): FieldError[] {
  if (scIn === undefined || scIn === null) return [];
  const sc = obj(scIn);
  const errs: FieldError[] = [];
  if (typeof sc.runAsUser === 'number') for (const msg of isValidUserID(sc.runAsUser)) errs.push(invalid(child(path, 'runAsUser'), sc.runAsUser, msg));
  if (typeof sc.runAsGroup === 'number') for (const msg of isValidGroupID(sc.runAsGroup)) errs.push(invalid(child(path, 'runAsGroup'), sc.runAsGroup, msg));
  if (typeof sc.procMount === 'string') {
    if (sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') {
      errs.push(notSupported(child(path, 'procMount'), sc.procMount, ['Default', 'Unmasked']));
    }
    if (hostUsers && sc.procMount === 'Unmasked') {
      errs.push(invalid(child(path, 'procMount'), sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
    }
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    // Go prints the whole *SecurityContext with %#v (pointer addresses included); berth abbreviates it.
    if (sc.privileged === true) {
      errs.push(invalidGoSyntax(path, 'core.SecurityContext{...}', 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    }
    for (const cap of list(obj(sc.capabilities).add)) {
      if (String(cap) === 'CAP_SYS_ADMIN') {
        errs.push(invalidGoSyntax(path, 'core.SecurityContext{...}', 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
      }
    }
  }
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, child(path, 'appArmorProfile')));
  return errs;
}

/** `validateContainerCommon`: rules shared by regular, init and ephemeral containers. */
export function validateContainerCommon(
  ctr: Obj,
  volumes: Map<string, Obj>,
  path: string,
  podRestartPolicy: string,
  hostUsers: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(ctr.name);
  const namePath = child(path, 'name');
  if (!name) errs.push(required(namePath));
  else for (const msg of isDNS1123Label(name)) errs.push(invalid(namePath, name, msg));
  if (!str(ctr.image)) errs.push(required(child(path, 'image')));
  errs.push(...validateEnum(str(ctr.terminationMessagePolicy), supportedTerminationMessagePolicies, child(path, 'terminationMessagePolicy')));
  const mounts = new Map(list(ctr.volumeMounts).map((m) => [str(m.name), str(m.mountPath)] as [string, string]));
  const devices = new Map(list(ctr.volumeDevices).map((d) => [str(d.name), str(d.devicePath)] as [string, string]));
  errs.push(...validateContainerPorts(list(ctr.ports), child(path, 'ports')));
  errs.push(...validateEnv(list(ctr.env), child(path, 'env')));
  errs.push(...validateEnvFrom(list(ctr.envFrom), child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(list(ctr.volumeMounts), devices, volumes, ctr, child(path, 'volumeMounts')));
  errs.push(...validateVolumeDevices(list(ctr.volumeDevices), mounts, volumes, child(path, 'volumeDevices')));
  errs.push(...validateEnum(str(ctr.imagePullPolicy), supportedPullPolicies, child(path, 'imagePullPolicy')));
  errs.push(...validateContainerResources(ctr.resources, child(path, 'resources')));
  errs.push(...validateResizePolicy(list(ctr.resizePolicy), child(path, 'resizePolicy'), podRestartPolicy));
  errs.push(...validateSecurityContext(ctr.securityContext, child(path, 'securityContext'), hostUsers));
  return errs;
}
