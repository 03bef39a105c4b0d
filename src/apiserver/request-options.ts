/**
 * Query parameters of writes, decoded and validated as kube-apiserver's
 * handlers do before they touch storage: a value that does not parse is a 400
 * (the parameter codec's error), an unsupported option a 422 on
 * `CreateOptions`/`UpdateOptions`/`PatchOptions`/`DeleteOptions`
 * (meta/v1 validation). Nothing unknown or malformed silently changes what a
 * write does: `dryRun=Bogus` is refused, never stored for real.
 */
import { errors, type FieldError } from '../api/api.ts';
import { forbidden, invalid, notSupported, required, tooLong } from '../api/validation/field-errors.ts';
import { boolParam } from './query-params.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

export interface WriteOptions {
  dryRun: boolean;
  /** As given; '' when absent (callers fall back to the User-Agent). */
  fieldManager: string;
  fieldValidation: FieldValidation;
  force: boolean;
}

const fieldManagerMaxLength = 128;
const fieldValidationValues = ['', 'Ignore', 'Strict', 'Warn'];
const propagationPolicies = ['Foreground', 'Background', 'Orphan', 'nil'];

/** `ValidateDryRun`: every value must be `All`. */
export function dryRunErrors(values: readonly string[]): FieldError[] {
  return values.every((v) => v === 'All') ? [] : [notSupported('dryRun', [...values], ['All'])];
}

/** `ValidateFieldManager`: at most 128 bytes, printable characters only (Go's unicode.IsPrint). */
function fieldManagerErrors(manager: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(manager) > fieldManagerMaxLength) errs.push(tooLong('fieldManager', fieldManagerMaxLength));
  let pos = 0;
  for (const ch of manager) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(invalid('fieldManager', manager, `invalid character U+${cp} (at position ${pos})`));
    }
    pos += Buffer.byteLength(ch);
  }
  return errs;
}

function refuse(kind: OptionsKind, errs: FieldError[]): void {
  if (errs.length) throw errors.invalid(kind, '', errs, 'meta.k8s.io');
}

/**
 * The options of a create, update or patch (`patchType` is the patch's media
 * type; only apply patches may say `force`, and they must name a manager).
 */
export function writeOptions(query: URLSearchParams, kind: Exclude<OptionsKind, 'DeleteOptions'>, patchType?: string): WriteOptions {
  const opts: WriteOptions = {
    dryRun: query.has('dryRun'),
    fieldManager: query.get('fieldManager') ?? '',
    fieldValidation: (query.get('fieldValidation') || 'Warn') as FieldValidation,
    force: boolParam(query, 'force'),
  };
  const errs: FieldError[] = [];
  if (kind === 'PatchOptions') {
    const apply = patchType === 'application/apply-patch+yaml';
    if (!apply && query.has('force')) errs.push(forbidden('force', 'may not be specified for non-apply patch'));
    if (apply && opts.fieldManager === '') errs.push(required('fieldManager', 'is required for apply patch'));
  }
  errs.push(...fieldManagerErrors(opts.fieldManager), ...dryRunErrors(query.getAll('dryRun')));
  const fv = query.get('fieldValidation') ?? '';
  if (!fieldValidationValues.includes(fv)) errs.push(notSupported('fieldValidation', fv, fieldValidationValues));
  refuse(kind, errs);
  return opts;
}

/** `ValidateDeleteOptions` over the merged query and body options. */
export function validateDeleteOptions(dryRun: readonly string[], propagationPolicy: unknown, orphanDependents: unknown): void {
  const errs: FieldError[] = [];
  if (orphanDependents !== undefined && orphanDependents !== null && propagationPolicy !== undefined && propagationPolicy !== null) {
    errs.push(invalid('propagationPolicy', propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (propagationPolicy !== undefined && propagationPolicy !== null && !propagationPolicies.slice(0, 3).includes(String(propagationPolicy))) {
    errs.push(notSupported('propagationPolicy', propagationPolicy, propagationPolicies));
  }
  errs.push(...dryRunErrors(dryRun));
  refuse('DeleteOptions', errs);
}
