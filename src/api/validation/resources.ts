/**
 * Container compute resources: validation.go `validateResourceRequirements`,
 * `validateContainerResourceName`, `ValidateResourceQuantityValue` and the
 * resource-name helpers of `pkg/apis/core/helper`.
 *
 * Go walks the limits and requests maps in random order; berth walks them in
 * the order the client wrote them, which is one of the orders Kubernetes can
 * produce.
 */
import { fieldError, FieldErrorType, type FieldError } from '../field-error.ts';
import { child, entries, forbidden, invalid, invalidGoSyntax, key, required } from './field-errors.ts';
import { parseQuantity, tryParseQuantity, type Quantity } from './quantity.ts';
import { isQualifiedName } from './string-formats.ts';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);
const standardResources = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
  'storage',
  'requests.storage',
]);
const integerResources = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Extended resources and hugepages may not be overcommitted: request must equal limit. */
function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

function isStandardResourceName(name: string): boolean {
  return standardResources.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (errs.length) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) {
    errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  return errs;
}

function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!standardContainerResources.has(name) && !isHugePageResourceName(name)) {
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** `ValidateResourceQuantityValue`: non-negative, and whole for integer resources. */
function validateResourceQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(invalid(path, q.toString(), 'must be greater than or equal to 0'));
  if ((integerResources.has(name) || isExtendedResourceName(name)) && q.milliValue() % 1000n !== 0n) {
    // Quantity is a Stringer in Go, so it prints bare.
    errs.push(invalidGoSyntax(path, q.toString(), 'must be an integer'));
  }
  return errs;
}

function hugePageError(name: string, q: Quantity): string | undefined {
  let size: Quantity;
  try {
    size = parseQuantity(name.slice('hugepages-'.length));
  } catch {
    return undefined;
  }
  if (size.sign() <= 0) return undefined;
  const v = q.value();
  if (v % size.value() !== 0n) return `${q.toString()} is not positive integer multiple of ${name}`;
  return undefined;
}

/** `ValidateContainerResourceRequirements` (`resources` of one container). */
export function validateContainerResources(resources: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const r = (resources ?? {}) as Record<string, unknown>;
  const limits = new Map<string, Quantity>();
  let limCpuMem = false;
  let reqCpuMem = false;
  let limHuge = false;
  let reqHuge = false;
  for (const [name, raw] of entries(r.limits)) {
    const p = key(limPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = tryParseQuantity(raw);
    if (!q) continue;
    limits.set(name, q);
    errs.push(...validateResourceQuantityValue(name, q, p));
    if (isHugePageResourceName(name)) {
      limHuge = true;
      const msg = hugePageError(name, q);
      if (msg) errs.push(invalid(p, q.toString(), msg));
    }
    if (name === 'cpu' || name === 'memory') limCpuMem = true;
  }
  for (const [name, raw] of entries(r.requests)) {
    const p = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = tryParseQuantity(raw);
    if (!q) continue;
    errs.push(...validateResourceQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) {
      reqHuge = true;
      const msg = hugePageError(name, q);
      if (msg) errs.push(invalid(p, q.toString(), msg));
    }
    if (name === 'cpu' || name === 'memory') reqCpuMem = true;
  }
  if (!limCpuMem && !reqCpuMem && (reqHuge || limHuge)) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  const claims = Array.isArray(r.claims) ? r.claims : [];
  claims.forEach((c, i) => {
    const name = typeof c?.name === 'string' ? c.name : '';
    const p = `${child(path, 'claims')}[${i}]`;
    if (!name) errs.push(required(p));
    // berth has no pod resourceClaims, so every reference is to a missing claim.
    else errs.push(fieldError(FieldErrorType.NotFound, p, name, 'must be one of the names in pod.spec.resourceClaims which is empty'));
  });
  return errs;
}
