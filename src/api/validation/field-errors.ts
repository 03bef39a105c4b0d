/**
 * Constructors for field errors and field paths, mirroring apimachinery's
 * `field.Required`, `field.Invalid`, ... and `field.Path` rendering
 * (`spec.containers[0].resources.limits[cpu]`).
 *
 * Values are passed the way v1.33's `ErrorBody` prints them (field-error.ts):
 * strings (and Go named string types) are quoted, numbers and booleans are
 * bare, a nil pointer (GO_NIL) prints as the quoted string "null", a []string
 * as `[]string{...}`. `invalidGoSyntax` covers values Go prints with `%s` or
 * `%#v` that have no JSON counterpart (Stringers such as quantities, structs).
 */
import { fieldError, FieldErrorType, goSyntax, type FieldError } from '../field-error.ts';
import { goQuote } from '../go-format.ts';

export { goStringSlice } from '../go-format.ts';

/** Objects arrive from JSON; decoding has already rejected wrong scalar types. */
export type Obj = Record<string, any>;

/** A nil pointer as a bad value; v1.33 prints it as `"null"`, quoted. */
export const GO_NIL = null;

export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

export function required(path: string, detail = ''): FieldError {
  return fieldError(FieldErrorType.Required, path, '', detail);
}

export function invalid(path: string, value: unknown, detail: string): FieldError {
  return fieldError(FieldErrorType.Invalid, path, value, detail);
}

/** An Invalid error whose value Go renders verbatim (a Stringer with `%s`, a struct with `%#v`). */
export function invalidGoSyntax(path: string, goText: string, detail: string): FieldError {
  return fieldError(FieldErrorType.Invalid, path, goSyntax(goText), detail);
}

export function notSupported(path: string, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length ? `supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return fieldError(FieldErrorType.NotSupported, path, value, detail);
}

export function forbidden(path: string, detail: string): FieldError {
  return fieldError(FieldErrorType.Forbidden, path, '', detail);
}

export function duplicate(path: string, value: unknown): FieldError {
  return fieldError(FieldErrorType.Duplicate, path, value);
}

export function notFound(path: string, value: unknown): FieldError {
  return fieldError(FieldErrorType.NotFound, path, value);
}

/** `field.TooLong` as of v1.32: the value is never printed. */
export function tooLong(path: string, maxLength: number): FieldError {
  const unit = maxLength === 1 ? 'byte' : 'bytes';
  return fieldError(FieldErrorType.TooLong, path, '', `may not be more than ${maxLength} ${unit}`);
}

/**
 * The rule every enumerated string field follows: Required when empty,
 * NotSupported (listing `supported`) when not one of them.
 */
export function validateEnum(value: string, supported: readonly string[], path: string): FieldError[] {
  if (supported.includes(value)) return [];
  if (!value) return [required(path)];
  return [notSupported(path, value, supported)];
}

export function internalError(path: string, detail: string): FieldError {
  return fieldError(FieldErrorType.Internal, path, '', detail);
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field, '' when absent (Go's zero value). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A list field, [] when absent. */
export function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v : [];
}

/** A map or struct field, {} when absent. */
export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/** Number field, 0 when absent. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Entries of a string map, in the order the client sent them (Go iterates maps randomly). */
export function entries(v: unknown): [string, unknown][] {
  return isObj(v) ? Object.entries(v) : [];
}
