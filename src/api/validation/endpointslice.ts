/**
 * discovery.k8s.io/v1 EndpointSlices: `pkg/apis/discovery/validation`
 * `ValidateEndpointSlice`, `validateEndpoints`, `validatePorts`,
 * `validateAddressType`, `validateHints`, `ValidateEndpointSliceUpdate`
 * (kube-apiserver v1.33). Port names and protocols are defaulted before this
 * runs (`""` and `TCP`), as the v1 scheme defaults do.
 */
import { fieldError, FieldErrorType, type FieldError } from '../field-error.ts';
import { child, duplicate, entries, index, invalid, list, notSupported, obj, required, str, type Obj } from './field-errors.ts';
import { validateDNS1123Label, validateFullyQualifiedDomainName, validateIPv4Address, validateIPv6Address, validateNonSpecialIP } from './ip-addresses.ts';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { isQualifiedName, isValidLabelValue, nameIsDNSSubdomain } from './string-formats.ts';

const supportedAddressTypes = ['FQDN', 'IPv4', 'IPv6'];
const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];
const maxTopologyLabels = 16;
const maxAddresses = 100;
const maxPorts = 20000;
const maxEndpoints = 1000;
const maxZoneHints = 8;

/** The label that ties an EndpointSlice to its Service. */
export const LabelServiceName = 'kubernetes.io/service-name';
/** The label naming the controller that manages an EndpointSlice. */
export const LabelManagedBy = 'endpointslice.kubernetes.io/managed-by';

/** `field.TooMany`. */
function tooMany(path: string, actual: number, max: number): FieldError {
  return fieldError(FieldErrorType.TooMany, path, actual, `must have at most ${max} ${max === 1 ? 'item' : 'items'}`);
}

function validateHints(hints: Obj, path: string): FieldError[] {
  const zones = list(hints.forZones);
  const fzPath = child(path, 'forZones');
  if (zones.length > maxZoneHints) return [tooMany(fzPath, zones.length, maxZoneHints)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const name = str(z.name);
    const p = child(index(fzPath, i), 'name');
    if (seen.has(name)) errs.push(duplicate(p, name));
    else seen.add(name);
    for (const msg of isValidLabelValue(name)) errs.push(invalid(p, name, msg));
  });
  return errs;
}

function validateEndpointList(endpoints: Obj[], addressType: string): FieldError[] {
  if (endpoints.length > maxEndpoints) return [tooMany('endpoints', endpoints.length, maxEndpoints)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const path = index('endpoints', i);
    const addrPath = child(path, 'addresses');
    const addresses = list(ep.addresses).map(String);
    if (addresses.length === 0) errs.push(required(addrPath, 'must contain at least 1 address'));
    else if (addresses.length > maxAddresses) errs.push(tooMany(addrPath, addresses.length, maxAddresses));
    addresses.forEach((a, j) => {
      const p = index(addrPath, j);
      // Unknown address types fall through unvalidated.
      if (addressType === 'IPv4') errs.push(...validateIPv4Address(a, p), ...validateNonSpecialIP(a, p));
      else if (addressType === 'IPv6') errs.push(...validateIPv6Address(a, p), ...validateNonSpecialIP(a, p));
      else if (addressType === 'FQDN') errs.push(...validateFullyQualifiedDomainName(a, p));
    });
    if (typeof ep.nodeName === 'string') {
      for (const msg of nameIsDNSSubdomain(ep.nodeName, false)) errs.push(invalid(child(path, 'nodeName'), ep.nodeName, msg));
    }
    const topoPath = child(path, 'deprecatedTopology');
    const topology = entries(ep.deprecatedTopology);
    if (topology.length > maxTopologyLabels) errs.push(tooMany(topoPath, topology.length, maxTopologyLabels));
    errs.push(...validateLabels(ep.deprecatedTopology, topoPath));
    if (typeof ep.hostname === 'string') errs.push(...validateDNS1123Label(ep.hostname, child(path, 'hostname')));
    if (ep.hints && typeof ep.hints === 'object') errs.push(...validateHints(ep.hints, child(path, 'hints')));
  });
  return errs;
}

function validatePorts(ports: Obj[]): FieldError[] {
  if (ports.length > maxPorts) return [tooMany('ports', ports.length, maxPorts)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = index('ports', i);
    const name = str(p.name);
    if (name) errs.push(...validateDNS1123Label(name, child(path, 'name')));
    if (names.has(name)) errs.push(duplicate(child(path, 'name'), name));
    else names.add(name);
    if (typeof p.protocol !== 'string') errs.push(required(child(path, 'protocol')));
    else if (!supportedPortProtocols.includes(p.protocol)) errs.push(notSupported(child(path, 'protocol'), p.protocol, supportedPortProtocols));
    if (typeof p.appProtocol === 'string') {
      for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalid(child(path, 'appProtocol'), p.appProtocol, msg));
    }
  });
  return errs;
}

/** `ValidateEndpointSlice` (create). */
export function validateEndpointSlice(sliceIn: unknown): FieldError[] {
  const slice = obj(sliceIn);
  const errs = validateObjectMeta(slice.metadata, true, nameIsDNSSubdomain, 'metadata');
  const addressType = str(slice.addressType);
  if (!addressType) errs.push(required('addressType'));
  else if (!supportedAddressTypes.includes(addressType)) errs.push(notSupported('addressType', addressType, supportedAddressTypes));
  errs.push(...validateEndpointList(list(slice.endpoints), addressType));
  errs.push(...validatePorts(list(slice.ports)));
  return errs;
}

/** `ValidateEndpointSliceUpdate`: the address type is immutable. */
export function validateEndpointSliceUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs = validateObjectMetaUpdate(n.metadata, o.metadata, 'metadata');
  errs.push(...validateEndpointSlice(n));
  if (str(n.addressType) !== str(o.addressType)) errs.push(invalid('addressType', str(n.addressType), 'field is immutable'));
  return errs;
}
