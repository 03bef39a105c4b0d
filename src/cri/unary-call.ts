/**
 * One unary gRPC call with a deadline, as a promise. Every failure becomes a
 * `CriError` whose `code` is the gRPC status name (NOT_FOUND, UNAVAILABLE,
 * DEADLINE_EXCEEDED, …) and whose message starts with the method name.
 *
 * Calls fail fast (no wait-for-ready): while containerd is down a call rejects
 * with UNAVAILABLE at once instead of hanging until its deadline, so callers
 * learn "runtime not ready" immediately.
 */
import { Metadata, status, type Client, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { CriCode, CriError } from './errors.ts';
import type { Method } from './grpc-definitions.ts';

export function unaryCall<Res = any>(client: Client, method: Method, request: unknown, timeoutMs: number): Promise<Res> {
  const name = methodName(method);
  return new Promise((resolve, reject) => {
    const deadline = Number.isFinite(timeoutMs) ? Date.now() + timeoutMs : Infinity;
    const done = (err: ServiceError | null, res?: Res) => {
      if (err) reject(toCriError(name, err));
      else resolve(res as Res);
    };
    try {
      client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, new Metadata(), { deadline }, done);
    } catch (err) {
      // grpc-js throws synchronously once the client is closed.
      reject(new CriError(name, CriCode.Unavailable, `${name}: ${(err as Error).message}`));
    }
  });
}

/** A service's methods as one call function: `call(method, request, timeoutMs?)`. */
export type ServiceCall = <Res = any>(method: string, request: unknown, timeoutMs?: number) => Promise<Res>;

export function serviceCall(client: Client, def: ServiceDefinition, defaultTimeoutMs: number): ServiceCall {
  return (method, request, timeoutMs = defaultTimeoutMs) => unaryCall(client, def[method], request, timeoutMs);
}

/** `/runtime.v1.RuntimeService/Version` → `Version`. */
export function methodName(method: Method): string {
  return method.path.slice(method.path.lastIndexOf('/') + 1);
}

export function toCriError(method: string, err: ServiceError | Error): CriError {
  const code = (err as ServiceError).code;
  const name = typeof code === 'number' ? (status[code] ?? CriCode.Unknown) : CriCode.Unknown;
  const details = (err as ServiceError).details ?? err.message;
  return new CriError(method, name, `${method}: ${details}`);
}
