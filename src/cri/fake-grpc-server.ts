/**
 * Test support: an in-process gRPC server on a unix socket that serves berth's
 * own proto definitions with handlers supplied by a test, standing in for
 * containerd's CRI and Events services.
 */
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { rmSync } from 'node:fs';

export interface FakeServer {
  socketPath: string;
  /** Stops at once, cancelling open calls. Idempotent. */
  kill(): void;
}

export async function startFakeServer(
  socketPath: string,
  services: { def: ServiceDefinition; impl: UntypedServiceImplementation }[],
): Promise<FakeServer> {
  rmSync(socketPath, { force: true });
  const server = new Server();
  for (const s of services) server.addService(s.def, s.impl);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socketPath}`, ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  let killed = false;
  return {
    socketPath,
    kill() {
      if (killed) return;
      killed = true;
      server.forceShutdown();
      rmSync(socketPath, { force: true });
    },
  };
}
