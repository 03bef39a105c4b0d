/**
 * A failed CRI call as the kubelet prints it: gRPC's Go error text,
 * `rpc error: code = NotFound desc = failed to pull and unpack image ...`,
 * which is what users see after `Failed to pull image "x": `.
 */
import { CriError } from '../../cri/errors.ts';

/** grpc-js status names → Go's `codes.Code.String()`. */
const goCodes: Record<string, string> = {
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

export function rpcErrorText(err: unknown): string {
  if (err instanceof CriError) {
    const prefix = `${err.method}: `;
    const desc = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return `rpc error: code = ${goCodes[err.code] ?? 'Unknown'} desc = ${desc}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** `utilerrors.NewAggregate(errs).Error()`. */
export function aggregateErrors(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}
