/**
 * Decoding checks kube-apiserver makes before defaulting and validation:
 * value types that do not fit the Go types (always 400, as its decoder
 * fails), and `fieldValidation=Strict|Warn|Ignore` for unknown fields —
 * rejected (400 BadRequest with the strict decoding message), returned as
 * Warning headers, or ignored. Bodies of create/update are decoded objects;
 * patches are checked on the patched result, and their messages differ as
 * kube-apiserver's patch handler words them. What decodes has its nulls
 * made Go's zero values (go-nulls.ts) and its times rewritten as encoding
 * the Go structs writes them (canonical-times.ts).
 */
import type { ServerResponse } from 'node:http';
import { errors, fieldError, FieldErrorType } from '../api/api.ts';
import { goValue } from '../api/go-format.ts';
import type { FieldValidation } from './request-options.ts';
import {
  cannotHandleMessage,
  findUnknownFields,
  goDecodeError,
  pruneUnknownFields,
  strictDecodingMessage,
  unknownFieldWarning,
} from '../api/validation/validation.ts';
import type { Schema } from '../api/validation/schema/generate-schema.ts';
import { canonicalizeTimes } from '../api/validation/canonical-times.ts';
import { zeroNulls } from '../api/validation/go-nulls.ts';


/**
 * Decoding a create/update body as `kind`: type errors, then unknown fields per the directive; what is unknown is dropped.
 * `schema`: the kind's version's, when it is not core/v1's (Kind.schema).
 */
export function checkDecodedBody(kind: string, body: unknown, mode: FieldValidation, res: ServerResponse, schema?: Schema): void {
  const typeError = goDecodeError(kind, body, schema);
  if (typeError) throw errors.badRequest(cannotHandleMessage(kind, typeError));
  applyDirective(findUnknownFields(kind, body, schema), mode, res, (paths) => strictDecodingMessage(kind, paths));
  pruneUnknownFields(kind, body, schema);
  zeroNulls(kind, body, schema);
  canonicalizeTimes(kind, body, schema);
}

/**
 * Decoding the result of a patch: a type error is 422 on the field `patch`
 * (the patch shown as Go prints it), unknown fields a bare strict decoding error
 * (and dropped otherwise).
 */
export function checkPatchedObject(kind: string, patched: unknown, patch: unknown, mode: FieldValidation, res: ServerResponse, schema?: Schema): void {
  const typeError = goDecodeError(kind, patched, schema);
  if (typeError) {
    throw errors.invalid('', '', [fieldError(FieldErrorType.Invalid, 'patch', goValue(patch), typeError)]);
  }
  applyDirective(findUnknownFields(kind, patched, schema), mode, res, (paths) => `strict decoding error: ${paths.map(unknownFieldWarning).join(', ')}`);
  pruneUnknownFields(kind, patched, schema);
  zeroNulls(kind, patched, schema);
  canonicalizeTimes(kind, patched, schema);
}

function applyDirective(unknown: string[], mode: FieldValidation, res: ServerResponse, strictMessage: (paths: string[]) => string): void {
  if (mode === 'Ignore' || unknown.length === 0) return;
  if (mode === 'Strict') throw errors.badRequest(strictMessage(unknown));
  const warnings = unknown.map((path) => `299 - ${JSON.stringify(unknownFieldWarning(path))}`);
  const prev = res.getHeader('Warning');
  res.setHeader('Warning', [...(Array.isArray(prev) ? prev : prev ? [String(prev)] : []), ...warnings]);
}
