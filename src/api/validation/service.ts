/**
 * Services: validation.go `ValidateService`, `validateServicePort`,
 * `ValidateServiceClusterIPsRelatedFields`, `ValidateServiceUpdate` (with
 * `validateUpgradeDowngradeClusterIPs`/`…IPFamilies`,
 * `validateLoadBalancerClassField`, `validateServiceExternalTrafficFieldsUpdate`)
 * and `ValidateServiceStatusUpdate`/`ValidateLoadBalancerStatus`, kube-apiserver
 * v1.33 with its default feature gates (LoadBalancerIPMode on,
 * AllowServiceLBStatusOnNonLB off).
 *
 * Values print as `field.Error` prints Go values: named string types such as
 * `core.IPFamily` and structs such as `core.ServicePort` with `%#v`.
 */
import { goSyntax, type FieldError } from '../field-error.ts';
import { goQuote } from '../go-format.ts';
import { child, duplicate, forbidden, GO_NIL, index, invalid, key, list, notSupported, num, obj, required, str, type Obj } from './field-errors.ts';
import { isIPv6String, validateCIDR, validateDNS1123Label, validateDNS1123Subdomain, validateIP, validateNonSpecialIP } from './ip-addresses.ts';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validatePortNumOrName } from './probes.ts';
import { isDNS1123Subdomain, isQualifiedName, isValidPortNum, nameIsDNS1035Label } from './string-formats.ts';

const supportedSessionAffinityTypes = ['ClientIP', 'None'];
const supportedServiceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];
const supportedIPFamilies = ['IPv4', 'IPv6'];
const supportedIPFamilyPolicies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const supportedTrafficPolicies = ['Cluster', 'Local'];
const supportedLoadBalancerIPModes = ['Proxy', 'VIP'];

/** `core.MaxClientIPServiceAffinitySeconds`: one day. */
export const MaxClientIPServiceAffinitySeconds = 86400;

const annotationTopologyAwareHints = 'service.kubernetes.io/topology-aware-hints';
const annotationTopologyMode = 'service.kubernetes.io/topology-mode';
const annotationLoadBalancerSourceRanges = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** `isHeadlessService`: clusterIPs is exactly ["None"]. */
export function isHeadlessService(svc: unknown): boolean {
  const ips = list(obj(obj(svc).spec).clusterIPs) as unknown[];
  return ips.length === 1 && ips[0] === 'None';
}

/** `apiservice.ExternallyAccessible`: LoadBalancer, NodePort, or ClusterIP with external IPs. */
export function externallyAccessible(spec: Obj): boolean {
  const type = str(spec.type);
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && list(spec.externalIPs).length > 0);
}

/** `apiservice.NeedsHealthCheck`: a LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheck(spec: Obj): boolean {
  return str(spec.type) === 'LoadBalancer' && str(spec.externalTrafficPolicy) === 'Local';
}

/** A `[]string` as `%#v` prints it, `[]string(nil)` when absent. */
function stringSlice(v: unknown): unknown {
  return Array.isArray(v) ? v.map(String) : goSyntax('[]string(nil)');
}

/** A `[]core.IPFamily` as `%#v` prints it. */
function ipFamilySlice(v: unknown): unknown {
  if (!Array.isArray(v)) return goSyntax('[]core.IPFamily(nil)');
  return goSyntax(`[]core.IPFamily{${v.map((f) => goQuote(String(f))).join(', ')}}`);
}

/** A `*string`-like optional field: nil prints as "null". */
function optional(v: unknown): unknown {
  return typeof v === 'string' ? v : GO_NIL;
}

/** `%#v` of the `core.ServicePort` key the duplicate-port check builds from protocol and port. */
function servicePortKey(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function validateQualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((msg) => invalid(path, value, msg));
}

function validateServicePort(sp: Obj, requireName: boolean, allNames: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp.name);
  if (requireName && !name) {
    errs.push(required(child(path, 'name')));
  } else if (name) {
    errs.push(...validateDNS1123Label(name, child(path, 'name')));
    if (allNames.has(name)) errs.push(duplicate(child(path, 'name'), name));
    else allNames.add(name);
  }
  const port = num(sp.port);
  for (const msg of isValidPortNum(port)) errs.push(invalid(child(path, 'port'), port, msg));
  const protocol = str(sp.protocol);
  if (!protocol) errs.push(required(child(path, 'protocol')));
  else if (!supportedPortProtocols.includes(protocol)) errs.push(notSupported(child(path, 'protocol'), protocol, supportedPortProtocols));
  errs.push(...validatePortNumOrName(sp.targetPort, child(path, 'targetPort')));
  if (typeof sp.appProtocol === 'string') errs.push(...validateQualifiedName(sp.appProtocol, child(path, 'appProtocol')));
  return errs;
}

function validateClientIPAffinityConfig(config: unknown, path: string): FieldError[] {
  const detail = 'when session affinity type is ClientIP';
  if (!config || typeof config !== 'object') return [required(path, detail)];
  const clientIP = (config as Obj).clientIP;
  if (!clientIP || typeof clientIP !== 'object') return [required(child(path, 'clientIP'), detail)];
  const timeout = (clientIP as Obj).timeoutSeconds;
  const tPath = child(child(path, 'clientIP'), 'timeoutSeconds');
  if (typeof timeout !== 'number') return [required(tPath, detail)];
  if (timeout <= 0 || timeout > MaxClientIPServiceAffinitySeconds) {
    return [invalid(tPath, timeout, `must be greater than 0 and less than ${MaxClientIPServiceAffinitySeconds}`)];
  }
  return [];
}

/**
 * `ValidateServiceClusterIPsRelatedFields`: clusterIP and clusterIPs in step,
 * families and policy known, IPs valid and one per family. The allocator
 * runs it before allocating, as kube-apiserver does.
 */
export function validateServiceClusterIPsRelatedFields(svcIn: unknown): FieldError[] {
  const svc = obj(svcIn);
  const spec = obj(svc.spec);
  if (str(spec.type) === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIP = str(spec.clusterIP);
  const clusterIPs = list(spec.clusterIPs).map(String);
  const families = list(spec.ipFamilies).map(String);
  if (clusterIP) {
    if (clusterIPs.length === 0) errs.push(required('spec.clusterIPs'));
    else if (clusterIPs[0] !== clusterIP) errs.push(invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length !== 0) {
    errs.push(invalid('spec.clusterIPs', clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (!supportedIPFamilies.includes(f)) errs.push(notSupported(index('spec.ipFamilies', i), f, supportedIPFamilies));
    if (seen.has(f)) errs.push(duplicate(index('spec.ipFamilies', i), f));
    seen.add(f);
  });
  if (typeof spec.ipFamilyPolicy === 'string' && !supportedIPFamilyPolicies.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, supportedIPFamilyPolicies));
  }
  let hasInvalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        hasInvalidIPs = true;
        errs.push(invalid('spec.clusterIPs', clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIP(ip, index('spec.clusterIPs', i));
    if (ipErrs.length) hasInvalidIPs = true;
    errs.push(...ipErrs);
  });
  if (clusterIPs.length > 2) errs.push(invalid('spec.clusterIPs', clusterIPs, 'may only hold up to 2 values'));
  if (hasInvalidIPs) return errs;
  if (clusterIPs.length > 1) {
    const v6 = clusterIPs.filter(isIPv6String).length;
    if (v6 === 0 || v6 === clusterIPs.length) errs.push(invalid('spec.clusterIPs', clusterIPs, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadlessService(svc) && clusterIPs.length > 0 && families.length > 0) {
    clusterIPs.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === 'IPv4' && isIPv6String(ip)) {
        errs.push(invalid(index('spec.clusterIPs', i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && !isIPv6String(ip)) {
        errs.push(invalid(index('spec.clusterIPs', i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

function validateLoadBalancerClassField(old: Obj | undefined, svc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(svc.spec);
  const cls = spec.loadBalancerClass;
  const isLB = str(spec.type) === 'LoadBalancer';
  if (old && str(obj(old.spec).type) === 'LoadBalancer' && isLB) {
    const oldCls = obj(old.spec).loadBalancerClass;
    if ((oldCls ?? null) !== (cls ?? null)) errs.push(invalid('spec.loadBalancerClass', optional(cls), 'may not change once set'));
  }
  if (isLB) {
    if (typeof cls === 'string') errs.push(...validateQualifiedName(cls, 'spec.loadBalancerClass'));
  } else if (cls !== undefined && cls !== null) {
    errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateServiceExternalTrafficPolicy(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (!supportedTrafficPolicies.includes(etp)) {
    errs.push(notSupported('spec.externalTrafficPolicy', etp, supportedTrafficPolicies));
  }
  const hc = num(spec.healthCheckNodePort);
  if (!needsHealthCheck(spec)) {
    if (hc !== 0) {
      errs.push(invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (hc === 0) {
    errs.push(required('spec.healthCheckNodePort'));
  } else {
    for (const msg of isValidPortNum(hc)) errs.push(invalid('spec.healthCheckNodePort', hc, msg));
  }
  return errs;
}

function validateServiceInternalTrafficPolicy(spec: Obj): FieldError[] {
  const itp = spec.internalTrafficPolicy;
  if (itp === undefined || itp === null) {
    // Not required of ExternalName Services, for historical reasons.
    return ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(str(spec.type)) ? [required('spec.internalTrafficPolicy')] : [];
  }
  return supportedTrafficPolicies.includes(str(itp)) ? [] : [notSupported('spec.internalTrafficPolicy', str(itp), supportedTrafficPolicies)];
}

/** `ValidateService`: a Service after defaulting and allocation. */
export function validateService(svcIn: unknown): FieldError[] {
  const svc = obj(svcIn);
  const meta = obj(svc.metadata);
  const spec = obj(svc.spec);
  const annotations = obj(meta.annotations);
  const errs = validateObjectMeta(meta, true, nameIsDNS1035Label, 'metadata');
  if (Object.hasOwn(annotations, annotationTopologyMode) && Object.hasOwn(annotations, annotationTopologyAwareHints)) {
    const mode = str(annotations[annotationTopologyMode]);
    if (mode !== str(annotations[annotationTopologyAwareHints])) {
      errs.push(invalid(key('metadata.annotations', annotationTopologyMode), mode, `must match annotations[${annotationTopologyAwareHints}] when both are specified`));
    }
  }
  const type = str(spec.type);
  const ports = list(spec.ports);
  const headless = isHeadlessService(svc);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  switch (type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
      break;
    case 'ExternalName': {
      if (list(spec.clusterIPs).length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (list(spec.ipFamilies).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) {
        errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      }
      // A CNAME may end in a dot to mark it fully qualified.
      const cname = str(spec.externalName).replace(/\.$/, '');
      if (cname) errs.push(...validateDNS1123Subdomain(cname, 'spec.externalName'));
      else errs.push(required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, index('spec.ports', i))));
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinity = str(spec.sessionAffinity);
  if (!affinity) errs.push(required('spec.sessionAffinity'));
  else if (!supportedSessionAffinityTypes.includes(affinity)) errs.push(notSupported('spec.sessionAffinity', affinity, supportedSessionAffinityTypes));
  if (affinity === 'ClientIP') {
    errs.push(...validateClientIPAffinityConfig(spec.sessionAffinityConfig, 'spec.sessionAffinityConfig'));
  } else if (affinity === 'None' && spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateServiceClusterIPsRelatedFields(svc));
  list(spec.externalIPs).forEach((ipIn, i) => {
    const ip = String(ipIn);
    const ipErrs = validateIP(ip, index('spec.externalIPs', i));
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(ip, index('spec.externalIPs', i))));
  });
  if (!type) errs.push(required('spec.type'));
  else if (!supportedServiceTypes.includes(type)) errs.push(notSupported('spec.type', type, supportedServiceTypes));
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (num(p.nodePort) !== 0) errs.push(forbidden(child(index('spec.ports', i), 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const np = num(p.nodePort);
    if (np === 0) return;
    const k = `${str(p.protocol)}/${np}`;
    if (nodePorts.has(k)) errs.push(duplicate(child(index('spec.ports', i), 'nodePort'), np));
    nodePorts.add(k);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${str(p.protocol)}/${num(p.port)}`;
    if (seenPorts.has(k)) errs.push(duplicate(index('spec.ports', i), goSyntax(servicePortKey(str(p.protocol), num(p.port)))));
    seenPorts.add(k);
  });
  const sourceRanges = list(spec.loadBalancerSourceRanges).map(String);
  if (sourceRanges.length > 0) {
    // The capital L is kube-apiserver's.
    const path = 'spec.LoadBalancerSourceRanges';
    if (type !== 'LoadBalancer') errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    // Space-padded values are tolerated, a leftover of the annotation's format.
    sourceRanges.forEach((v, i) => errs.push(...validateCIDR(v.trim(), index(path, i))));
  } else if (Object.hasOwn(annotations, annotationLoadBalancerSourceRanges)) {
    const path = key('metadata.annotations', annotationLoadBalancerSourceRanges);
    if (type !== 'LoadBalancer') errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    const val = str(annotations[annotationLoadBalancerSourceRanges]).trim();
    if (val) for (const v of val.split(',')) errs.push(...validateCIDR(v.trim(), path));
  }
  const allocate = spec.allocateLoadBalancerNodePorts;
  if (allocate !== undefined && allocate !== null && type !== 'LoadBalancer') {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  // The missing `spec.` is kube-apiserver's; defaulting makes this unreachable through the API.
  if (type === 'LoadBalancer' && (allocate === undefined || allocate === null)) errs.push(required('allocateLoadBalancerNodePorts'));
  errs.push(...validateLoadBalancerClassField(undefined, svc));
  errs.push(...validateServiceExternalTrafficPolicy(spec));
  errs.push(...validateServiceInternalTrafficPolicy(spec));
  const td = spec.trafficDistribution;
  if (td !== undefined && td !== null && td !== 'PreferClose') errs.push(notSupported('spec.trafficDistribution', str(td), ['PreferClose']));
  return errs;
}

/** `validateUpgradeDowngradeClusterIPs`: the primary (and a kept secondary) cluster IP never changes. */
function validateUpgradeDowngradeClusterIPs(old: Obj, svc: Obj): FieldError[] {
  const oldSpec = obj(old.spec);
  const spec = obj(svc.spec);
  if (str(spec.type) === 'ExternalName' || str(oldSpec.type) === 'ExternalName') return [];
  if (isHeadlessService(old) && isHeadlessService(svc)) return [];
  const errs: FieldError[] = [];
  const oldIPs = list(oldSpec.clusterIPs).map(String);
  const ips = list(spec.clusterIPs).map(String);
  const value = stringSlice(spec.clusterIPs);
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalid(index('spec.clusterIPs', i), value, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(invalid('spec.clusterIPs[0]', value, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) errs.push(invalid('spec.clusterIPs[0]', value, 'may not change once set'));
    if (ips.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', optional(spec.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalid('spec.clusterIPs[0]', value, 'may not change once set'));
  }
  return errs;
}

/**
 * `validateUpgradeDowngradeIPFamilies`. Where kube-apiserver reports the
 * clusterIPs as the value of an ipFamilies error, so does berth.
 */
function validateUpgradeDowngradeIPFamilies(old: Obj, svc: Obj): FieldError[] {
  const oldSpec = obj(old.spec);
  const spec = obj(svc.spec);
  if (str(spec.type) === 'ExternalName' || str(oldSpec.type) === 'ExternalName') return [];
  const oldHeadless = isHeadlessService(old);
  if (oldHeadless !== isHeadlessService(svc) || oldHeadless) return [];
  const errs: FieldError[] = [];
  const oldFamilies = list(oldSpec.ipFamilies).map(String);
  const families = list(spec.ipFamilies).map(String);
  if (oldFamilies.length === families.length) {
    oldFamilies.forEach((f, i) => {
      if (f !== families[i]) errs.push(invalid('spec.ipFamilies[0]', ipFamilySlice(spec.ipFamilies), 'may not change once set'));
    });
  } else if (oldFamilies.length > families.length) {
    if (list(spec.clusterIPs).length === 0) errs.push(invalid('spec.ipFamilies[0]', ipFamilySlice(spec.ipFamilies), 'primary ipFamily can not be unset'));
    if (families.length > 0 && families[0] !== oldFamilies[0]) errs.push(invalid('spec.ipFamilies[0]', stringSlice(spec.clusterIPs), 'may not change once set'));
    if (families.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', optional(spec.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldFamilies.length > 0 && families.length > 0 && families[0] !== oldFamilies[0]) {
    errs.push(invalid('spec.ipFamilies[0]', stringSlice(spec.clusterIPs), 'may not change once set'));
  }
  return errs;
}

/** `ValidateServiceUpdate`. */
export function validateServiceUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const svc = obj(newIn);
  const old = obj(oldIn);
  const errs = validateObjectMetaUpdate(svc.metadata, old.metadata, 'metadata');
  errs.push(...validateUpgradeDowngradeClusterIPs(old, svc));
  errs.push(...validateUpgradeDowngradeIPFamilies(old, svc));
  errs.push(...validateLoadBalancerClassField(old, svc));
  if (needsHealthCheck(obj(old.spec)) && needsHealthCheck(obj(svc.spec))) {
    if (num(obj(svc.spec).healthCheckNodePort) !== num(obj(old.spec).healthCheckNodePort)) {
      errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
    }
  }
  errs.push(...validateService(svc));
  return errs;
}

/** `ValidateLoadBalancerStatus`. */
function validateLoadBalancerStatus(status: Obj, spec: Obj): FieldError[] {
  const ingress = list(status.ingress);
  const path = 'status.loadBalancer.ingress';
  if (str(spec.type) !== 'LoadBalancer' && ingress.length !== 0) return [forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'")];
  const errs: FieldError[] = [];
  ingress.forEach((ing, i) => {
    const p = index(path, i);
    const ip = str(ing.ip);
    if (ip) errs.push(...validateIP(ip, child(p, 'ip')));
    const mode = ing.ipMode;
    if (mode === undefined || mode === null) {
      if (ip) errs.push(required(child(p, 'ipMode'), 'must be specified when `ip` is set'));
    } else if (!ip) {
      errs.push(forbidden(child(p, 'ipMode'), 'may not be specified when `ip` is not set'));
    } else if (!supportedLoadBalancerIPModes.includes(str(mode))) {
      errs.push(notSupported(child(p, 'ipMode'), str(mode), supportedLoadBalancerIPModes));
    }
    const hostname = str(ing.hostname);
    if (hostname) {
      for (const msg of isDNS1123Subdomain(hostname)) errs.push(invalid(child(p, 'hostname'), hostname, msg));
      if (validateIP(hostname, '').length === 0) errs.push(invalid(child(p, 'hostname'), hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** `ValidateServiceStatusUpdate`. */
export function validateServiceStatusUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const svc = obj(newIn);
  const errs = validateObjectMetaUpdate(svc.metadata, obj(oldIn).metadata, 'metadata');
  errs.push(...validateLoadBalancerStatus(obj(obj(svc.status).loadBalancer), obj(svc.spec)));
  return errs;
}

