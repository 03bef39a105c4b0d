/**
 * api — the Kubernetes object vocabulary berth speaks.
 *
 * Owns: object types (re-exported from kubernetes-types), API errors with their
 * Kubernetes reasons, field errors with apimachinery's rendering and Go's
 * value formatting (go-format.ts), the API's time formats (time.ts),
 * defaulting, validation, strategic merge patch, and field ownership with
 * server-side apply (managed-fields/). Pure
 * functions only: no I/O, no timers, no state. Imports nothing from the rest
 * of berth.
 *
 * Does not own: how errors become HTTP responses (apiserver/status.ts) or where
 * objects are stored (store/, registry/).
 */
export type * from './types.ts';
export { ApiError, errors } from './errors.ts';
export type { StatusCause, StatusBody } from './errors.ts';
export { fieldError, FieldErrorType, renderFieldError, aggregateFieldErrors, goSyntax, GoSyntax } from './field-error.ts';
export { goQuote } from './go-format.ts';
export { rfc3339, rfc3339Millis, rfc3339Nano } from './time.ts';
export type { FieldError } from './field-error.ts';
