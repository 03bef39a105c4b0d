/**
 * API errors carrying Kubernetes reasons and codes. Every failure that reaches a
 * client is an ApiError; apiserver/status.ts turns it into a `Status` body in
 * one place. Messages follow apimachinery's `api/errors` constructors word for
 * word, because kubectl prints them verbatim.
 */
import { aggregateFieldErrors, renderFieldErrorBody, type FieldError } from './field-error.ts';
import { goQuote } from './go-format.ts';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The wire form of a failure `Status`. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  /** Empty, but for the fresh `continue` token of a 410 on an expired continue. */
  metadata: { continue?: string };
  status: 'Failure';
  message: string;
  /** Omitted when empty (StatusReasonUnknown), as metav1.Status's omitempty does. */
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  /** The Status's `metadata.continue` (a list's expired continue token, replaced). */
  readonly continueToken: string | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails, continueToken?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.continueToken = continueToken;
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.continueToken === undefined ? {} : { continue: this.continueToken },
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (!this.reason) delete body.reason;
    if (this.details) body.details = this.details;
    return body;
  }
}

/** `group` is '' for the core group; `resource` is plural, e.g. `pods`. */
function qualified(resource: string, group = ''): string {
  return group ? `${resource}.${group}` : resource;
}

export const errors = {
  notFound(resource: string, name: string, group = ''): ApiError {
    return new ApiError(404, 'NotFound', `${qualified(resource, group)} ${goQuote(name)} not found`, {
      name,
      group: group || undefined,
      kind: resource,
    });
  },
  /** 404 for a path the server does not serve at all. */
  noSuchPath(): ApiError {
    return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  },
  alreadyExists(resource: string, name: string, group = ''): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} ${goQuote(name)} already exists`, {
      name,
      group: group || undefined,
      kind: resource,
    });
  },
  conflict(resource: string, name: string, why: string, group = ''): ApiError {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(resource, group)} ${goQuote(name)}: ${why}`,
      { name, group: group || undefined, kind: resource },
    );
  },
  /** `kind` is the Kind (`Pod`), printed by kubectl as `The Pod "x" is invalid`. */
  invalid(kind: string, name: string, errs: FieldError[], group = ''): ApiError {
    const agg = aggregateFieldErrors(errs);
    const qk = group ? `${kind}.${group}` : kind;
    const message = agg ? `${qk} ${goQuote(name)} is invalid: ${agg}` : `${qk} ${goQuote(name)} is invalid`;
    return new ApiError(422, 'Invalid', message, {
      name,
      group: group || undefined,
      kind,
      causes: errs.map((e) => ({ reason: e.type, message: renderFieldErrorBody(e), field: e.field })),
    });
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  unauthorized(message = 'Unauthorized'): ApiError {
    return new ApiError(401, 'Unauthorized', message);
  },
  forbidden(resource: string, name: string, why: string, group = ''): ApiError {
    const target = name ? `${qualified(resource, group)} ${goQuote(name)}` : qualified(resource, group);
    return new ApiError(403, 'Forbidden', `${target} is forbidden: ${why}`, {
      name: name || undefined,
      group: group || undefined,
      kind: resource,
    });
  },
  methodNotSupported(resource: string, verb: string): ApiError {
    return new ApiError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${resource}"`, {
      kind: resource,
    });
  },
  /** negotiation.NewUnsupportedMediaTypeError: a body type the endpoint cannot decode; `accepted` are the ones it can. */
  unsupportedMediaType(accepted: readonly string[]): ApiError {
    return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
  },
  /** 410 for a watch or list from a compacted revision; `continueToken` resumes a list at the latest revision. */
  expired(message: string, continueToken?: string): ApiError {
    return new ApiError(410, 'Expired', message, undefined, continueToken);
  },
  /** apimachinery's NewTimeoutError: 504, and a Retry-After of `retryAfterSeconds`. */
  timeout(message: string, retryAfterSeconds: number, causes?: StatusCause[]): ApiError {
    return new ApiError(504, 'Timeout', `Timeout: ${message}`, { causes, retryAfterSeconds });
  },
  /** storage's NewTooLargeResourceVersionError: a read at a revision the server has not reached yet. */
  tooLargeResourceVersion(requested: number, current: number): ApiError {
    return new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  },
  serviceUnavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message);
  },
  internal(message: string): ApiError {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    });
  },
  /** 501 for an API feature berth has not implemented; says so plainly. */
  notImplemented(what: string): ApiError {
    return new ApiError(501, 'NotImplemented', `${what} is not implemented by berth`);
  },
} as const;
