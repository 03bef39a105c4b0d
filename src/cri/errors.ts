/**
 * Errors from the runtime. `code` is the gRPC status name, so callers can tell
 * NotFound (the object is already gone) from real failures without parsing text.
 */
export const CriCode = {
  NotFound: 'NOT_FOUND',
  Unavailable: 'UNAVAILABLE',
  DeadlineExceeded: 'DEADLINE_EXCEEDED',
  Unknown: 'UNKNOWN',
  InvalidArgument: 'INVALID_ARGUMENT',
  AlreadyExists: 'ALREADY_EXISTS',
  FailedPrecondition: 'FAILED_PRECONDITION',
  Unimplemented: 'UNIMPLEMENTED',
} as const;
export type CriCode = (typeof CriCode)[keyof typeof CriCode] | string;

export class CriError extends Error {
  readonly code: CriCode;
  readonly method: string;
  constructor(method: string, code: CriCode, message: string) {
    super(message);
    this.name = 'CriError';
    this.method = method;
    this.code = code;
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof CriError && err.code === CriCode.NotFound;
}
