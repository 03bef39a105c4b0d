/**
 * ServiceAccounts and TokenRequests: validation.go `ValidateServiceAccount`,
 * `ValidateServiceAccountUpdate` (object metadata only, the name a DNS
 * subdomain), and pkg/apis/authentication/validation `ValidateTokenRequest`.
 */
import type { FieldError } from '../field-error.ts';
import { invalid, obj } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { nameIsDNSSubdomain } from './string-formats.ts';

export function validateServiceAccount(saIn: unknown): FieldError[] {
  return validateObjectMeta(obj(saIn).metadata, true, nameIsDNSSubdomain, 'metadata');
}

export function validateServiceAccountUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const errs = validateObjectMetaUpdate(obj(newIn).metadata, obj(oldIn).metadata, 'metadata');
  errs.push(...validateServiceAccount(newIn));
  return errs;
}

/** The shortest token a TokenRequest may ask for (10 minutes). */
export const minTokenAgeSeconds = 10 * 60;
/** The longest: 2^32 seconds. */
export const maxTokenAgeSeconds = 2 ** 32;

/** `ValidateTokenRequest`: the expiry, after defaulting (3600). */
export function validateTokenRequest(expirationSeconds: number): FieldError[] {
  const errs: FieldError[] = [];
  if (expirationSeconds < minTokenAgeSeconds) {
    errs.push(invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'));
  }
  if (expirationSeconds > maxTokenAgeSeconds) {
    errs.push(invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  }
  return errs;
}
