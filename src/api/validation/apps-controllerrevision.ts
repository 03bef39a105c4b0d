/**
 * apps/v1 ControllerRevision validation: validation.go
 * `ValidateControllerRevision` and `ValidateControllerRevisionUpdate` (only
 * `data` is checked for immutability there, though the doc comment names
 * `revision` too).
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../field-error.ts';
import { FieldImmutableErrorMsg, validateNonnegative } from './apps-template.ts';
import { GO_NIL, invalid, invalidGoSyntax, obj, required } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { nameIsDNSSubdomain } from './string-formats.ts';

/**
 * `%#v` of the internal `data` (a *runtime.Unknown holding the JSON), as the
 * immutability error prints it.
 */
function goUnknown(data: unknown): string {
  const bytes = [...Buffer.from(JSON.stringify(data), 'utf8')].map((b) => `0x${b.toString(16)}`).join(', ');
  return `runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{${bytes}}, ContentEncoding:"", ContentType:"application/json"}`;
}

/** `ValidateControllerRevision`. */
export function validateControllerRevision(crIn: unknown): FieldError[] {
  const cr = obj(crIn);
  const errs = validateObjectMeta(cr.metadata, true, nameIsDNSSubdomain, 'metadata');
  if (cr.data === undefined || cr.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...validateNonnegative(cr.revision, 'revision'));
  return errs;
}

/** `ValidateControllerRevisionUpdate`. */
export function validateControllerRevisionUpdate(crIn: unknown, oldIn: unknown): FieldError[] {
  const cr = obj(crIn);
  const old = obj(oldIn);
  const errs = validateObjectMetaUpdate(cr.metadata, old.metadata, 'metadata');
  errs.push(...validateControllerRevision(cr));
  if (!isDeepStrictEqual(cr.data ?? null, old.data ?? null)) {
    errs.push(cr.data == null ? invalid('data', GO_NIL, FieldImmutableErrorMsg) : invalidGoSyntax('data', goUnknown(cr.data), FieldImmutableErrorMsg));
  }
  return errs;
}
