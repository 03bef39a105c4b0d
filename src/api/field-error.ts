/**
 * Field errors as apimachinery's `field.Error` renders them. Clients match on
 * these texts, so the rendering follows `field.Error.ErrorBody()` exactly:
 *   `<field>: <Type text>[: <value>][: <detail>]`.
 */
import { goNumber, goQuote, goStringSlice } from './go-format.ts';


/** The `type` of a field error; it is also the StatusCause reason. */
export const FieldErrorType = {
  Required: 'FieldValueRequired',
  NotFound: 'FieldValueNotFound',
  Duplicate: 'FieldValueDuplicate',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Internal: 'InternalError',
  TypeInvalid: 'FieldValueTypeInvalid',
} as const;
export type FieldErrorType = (typeof FieldErrorType)[keyof typeof FieldErrorType];

const typeText: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueNotFound: 'Not found',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Marks a field error whose value is not printed (apimachinery's omitValue). */
export const omitValue: unique symbol = Symbol('omitValue');

export interface FieldError {
  type: FieldErrorType;
  /** Field path, e.g. `spec.initContainers[1].name`. */
  field: string;
  /** The offending value; `omitValue` leaves it out of the message. */
  value?: unknown;
  detail?: string;
}

export function fieldError(type: FieldErrorType, field: string, value: unknown = omitValue, detail = ''): FieldError {
  return { type, field, value, detail };
}

/**
 * A value Go prints with `%s`/`%#v` rather than as a scalar: a fmt.Stringer such
 * as resource.Quantity (`1Gi`, unquoted), or a struct (`core.Probe{...}`). The
 * text is rendered verbatim.
 */
export class GoSyntax {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function goSyntax(text: string): GoSyntax {
  return new GoSyntax(text);
}

/**
 * How v1.33's `ErrorBody` prints a bad value: nil (and a nil pointer) as the
 * quoted string "null", strings with %q, numbers and booleans with %v, a
 * []string with %#v, Stringers and structs as given by `goSyntax`. Other
 * objects have no Go type to print, so they fall back to JSON.
 */
function goValue(value: unknown): string {
  if (value instanceof GoSyntax) return value.text;
  if (value === null || value === undefined) return goQuote('null');
  switch (typeof value) {
    case 'number':
      return goNumber(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'string':
      return goQuote(value);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return goStringSlice(value);
  return JSON.stringify(value);
}

/** `field.Error.ErrorBody()`: the message of a StatusCause. */
export function renderFieldErrorBody(e: FieldError): string {
  let s = typeText[e.type];
  const valueless =
    e.type === FieldErrorType.Required ||
    e.type === FieldErrorType.Forbidden ||
    e.type === FieldErrorType.TooLong ||
    e.type === FieldErrorType.Internal ||
    e.value === omitValue;
  if (!valueless) s += `: ${goValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** `field.Error.Error()`: `<field>: <body>`. */
export function renderFieldError(e: FieldError): string {
  return `${e.field}: ${renderFieldErrorBody(e)}`;
}

/**
 * `field.ErrorList.ToAggregate().Error()`: one message as is, several as
 * `[a, b]`, duplicates removed. Empty string for an empty list.
 */
export function aggregateFieldErrors(errs: FieldError[]): string {
  const msgs = [...new Set(errs.map(renderFieldError))];
  if (msgs.length === 0) return '';
  if (msgs.length === 1) return msgs[0];
  return `[${msgs.join(', ')}]`;
}
