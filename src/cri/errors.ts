/**
 * Errors from the runtime. `code` is the gRPC status name, so callers can tell
 * NotFound (the object is already gone) from real failures without parsing text.
 * The message starts with the CRI method (`StartContainer: …`) for berth's own
 * logs; `criErrorDetails` and `rpcErrorText` give the texts the kubelet shows.
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

/** grpc-js status names → Go's `codes.Code.String()`. */
const goCodeNames: Record<string, string> = {
  OK: 'OK',
  CANCELLED: 'Canceled',
  UNKNOWN: 'Unknown',
  INVALID_ARGUMENT: 'InvalidArgument',
  DEADLINE_EXCEEDED: 'DeadlineExceeded',
  NOT_FOUND: 'NotFound',
  ALREADY_EXISTS: 'AlreadyExists',
  PERMISSION_DENIED: 'PermissionDenied',
  RESOURCE_EXHAUSTED: 'ResourceExhausted',
  FAILED_PRECONDITION: 'FailedPrecondition',
  ABORTED: 'Aborted',
  OUT_OF_RANGE: 'OutOfRange',
  UNIMPLEMENTED: 'Unimplemented',
  INTERNAL: 'Internal',
  UNAVAILABLE: 'Unavailable',
  DATA_LOSS: 'DataLoss',
  UNAUTHENTICATED: 'Unauthenticated',
};

/**
 * The runtime's own message (gRPC's `status.Message()`), without the method
 * name: what the kubelet shows for a failed CreateContainer or StartContainer.
 */
export function criErrorDetails(err: unknown): string {
  if (!(err instanceof CriError)) return err instanceof Error ? err.message : String(err);
  const prefix = `${err.method}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/**
 * A failed CRI call as Go's gRPC error prints it, the form the kubelet's texts
 * embed: `rpc error: code = NotFound desc = …`.
 */
export function rpcErrorText(err: unknown): string {
  if (!(err instanceof CriError)) return criErrorDetails(err);
  return `rpc error: code = ${goCodeNames[err.code] ?? 'Unknown'} desc = ${criErrorDetails(err)}`;
}
