/**
 * `fieldValidation=Strict|Warn|Ignore` for create/update/patch bodies: unknown
 * fields are rejected (400 BadRequest with kube-apiserver's strict decoding
 * message), returned as Warning headers, or ignored.
 */
import type { ServerResponse } from 'node:http';
import { errors } from '../api/api.ts';
import { findUnknownFields, strictDecodingMessage, unknownFieldWarning } from '../api/validation/validation.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

/** Applies the directive to `body` as a `kind`; throws or sets Warning headers. */
export function checkUnknownFields(kind: string, body: unknown, mode: FieldValidation, res: ServerResponse): void {
  if (mode === 'Ignore') return;
  const unknown = findUnknownFields(kind, body);
  if (unknown.length === 0) return;
  if (mode === 'Strict') throw errors.badRequest(strictDecodingMessage(kind, unknown));
  const warnings = unknown.map((path) => `299 - ${JSON.stringify(unknownFieldWarning(path))}`);
  const prev = res.getHeader('Warning');
  res.setHeader('Warning', [...(Array.isArray(prev) ? prev : prev ? [String(prev)] : []), ...warnings]);
}
