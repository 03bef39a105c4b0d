/**
 * The `grpc` probe (`pkg/probe/grpc`): connects to the pod IP and port
 * without TLS, calls `grpc.health.v1.Health/Check` for the service, and
 * succeeds only on SERVING. Connecting and the call share one deadline (the
 * probe's timeout). Result texts are the kubelet's.
 */
import { Client, Metadata, credentials, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { fileURLToPath } from 'node:url';
import { loadProtos, serviceDefinition, type Method } from '../../cri/grpc-definitions.ts';
import { joinHostPort } from './net-errors.ts';

const protoFile = fileURLToPath(new URL('./grpc-health.proto', import.meta.url));

let healthCheck: Method | undefined;

function checkMethod(): Method {
  healthCheck ??= serviceDefinition(loadProtos([protoFile]), 'grpc.health.v1.Health').Check as Method;
  return healthCheck;
}

export interface GrpcResult {
  ok: boolean;
  output: string;
}

/** Go's `time.Duration` text for whole seconds (`1s`, `1m0s`). */
function secondsText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

export function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<GrpcResult> {
  const addr = joinHostPort(host, port);
  // A deadline of real I/O (the gRPC call's), on the platform's clock as grpc-js wants it.
  const deadline = Date.now() + timeoutMs;
  const client = new Client(addr, credentials.createInsecure(), {
    'grpc.primary_user_agent': 'kube-probe/1.33',
    'grpc.initial_reconnect_backoff_ms': 100,
  });
  const method = checkMethod();
  return new Promise<GrpcResult>((resolve) => {
    client.waitForReady(deadline, (err) => {
      if (err) {
        resolve({
          ok: false,
          output: `timeout: failed to connect service ${JSON.stringify(addr)} within ${secondsText(timeoutMs)}: context deadline exceeded`,
        });
        return;
      }
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        { service },
        new Metadata(),
        { deadline },
        (callErr: ServiceError | null, res?: { status?: string }) => {
          if (callErr) {
            if (callErr.code === grpcStatus.UNIMPLEMENTED) {
              resolve({
                ok: false,
                output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${callErr.details}`,
              });
            } else if (callErr.code === grpcStatus.DEADLINE_EXCEEDED) {
              resolve({ ok: false, output: `timeout: health rpc did not complete within ${secondsText(timeoutMs)}` });
            } else {
              const code = grpcCodeName(callErr.code);
              resolve({ ok: false, output: `error: health rpc probe failed: rpc error: code = ${code} desc = ${callErr.details}` });
            }
            return;
          }
          const st = res?.status ?? 'UNKNOWN';
          if (st !== 'SERVING') resolve({ ok: false, output: `service unhealthy (responded with ${JSON.stringify(st)})` });
          else resolve({ ok: true, output: 'service is serving' });
        },
      );
    });
  }).finally(() => client.close());
}

/** gRPC-Go's code names (`codes.Code.String()`): `NotFound`, `Unavailable`, … */
export function grpcCodeName(code: number): string {
  const upper = (grpcStatus as unknown as Record<number, string>)[code] ?? 'UNKNOWN';
  if (upper === 'OK') return 'OK';
  return upper
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
