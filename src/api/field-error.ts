/**
 * Field errors as apimachinery's `field.Error` renders them. Clients match on
 * these texts, so the rendering follows `field.Error.ErrorBody()` exactly:
 *   `<field>: <Type text>[: <value>][: <detail>]`.
 */

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

/** Go's %q for the strings that occur in manifests. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's %#v / %v for the values validation reports. */
function goValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'string':
      return goQuote(value);
    default:
      return JSON.stringify(value);
  }
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
