/**
 * core/v1 Endpoints: validation.go `ValidateEndpoints` (create and update are
 * the same rules), `validateEndpointSubsets`, `validateEndpointAddress`,
 * `validateEndpointPort`.
 */
import type { FieldError } from '../field-error.ts';
import { child, index, invalid, list, notSupported, num, obj, required, str, type Obj } from './field-errors.ts';
import { validateDNS1123Label, validateIP, validateNonSpecialIP } from './ip-addresses.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { isQualifiedName, isValidPortNum, nameIsDNSSubdomain } from './string-formats.ts';

const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];

function validateEndpointAddress(address: Obj, path: string): FieldError[] {
  const ip = str(address.ip);
  const errs = validateIP(ip, child(path, 'ip'));
  const hostname = str(address.hostname);
  if (hostname) errs.push(...validateDNS1123Label(hostname, child(path, 'hostname')));
  if (typeof address.nodeName === 'string') {
    for (const msg of nameIsDNSSubdomain(address.nodeName, false)) errs.push(invalid(child(path, 'nodeName'), address.nodeName, msg));
  }
  // Also for an address that did not parse: kube-apiserver reports both.
  errs.push(...validateNonSpecialIP(ip, child(path, 'ip')));
  return errs;
}

function validateEndpointPort(port: Obj, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port.name);
  if (requireName && !name) errs.push(required(child(path, 'name')));
  else if (name) errs.push(...validateDNS1123Label(name, child(path, 'name')));
  const n = num(port.port);
  for (const msg of isValidPortNum(n)) errs.push(invalid(child(path, 'port'), n, msg));
  const protocol = str(port.protocol);
  if (!protocol) errs.push(required(child(path, 'protocol')));
  else if (!supportedPortProtocols.includes(protocol)) errs.push(notSupported(child(path, 'protocol'), protocol, supportedPortProtocols));
  if (typeof port.appProtocol === 'string') {
    for (const msg of isQualifiedName(port.appProtocol)) errs.push(invalid(child(path, 'appProtocol'), port.appProtocol, msg));
  }
  return errs;
}

/** `ValidateEndpoints`: an Endpoints object on create or update. */
export function validateEndpoints(epIn: unknown): FieldError[] {
  const ep = obj(epIn);
  const errs = validateObjectMeta(ep.metadata, true, nameIsDNSSubdomain, 'metadata');
  list(ep.subsets).forEach((ss, i) => {
    const path = index('subsets', i);
    const addresses = list(ss.addresses);
    const notReady = list(ss.notReadyAddresses);
    // A headless Service's endpoints may have no ports, but every subset has an address.
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(path, 'addresses'), j))));
    notReady.forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(path, 'notReadyAddresses'), j))));
    const ports = list(ss.ports);
    ports.forEach((p, j) => errs.push(...validateEndpointPort(p, ports.length > 1, index(child(path, 'ports'), j))));
  });
  return errs;
}

/** `ValidateEndpointsUpdate`: node names may change (a reused pod IP on another node). */
export function validateEndpointsUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const errs = validateObjectMetaUpdate(obj(newIn).metadata, obj(oldIn).metadata, 'metadata');
  errs.push(...validateEndpoints(newIn));
  return errs;
}
