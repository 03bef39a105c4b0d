/**
 * cri — berth's client for a CRI runtime (containerd 1.6) over its unix socket.
 *
 * Owns: the gRPC channel to the runtime socket, the typed facades
 * `RuntimeService` and `ImageService` (types.ts), and `ContainerEventSource`
 * built on containerd's own Events service. Errors are `CriError` (errors.ts)
 * with the gRPC status name as code; every call has a deadline. The runtime
 * contract (runtime-contract.ts): containerd's behaviour that berth relies
 * on, as one suite every `RuntimeService` runs — this client against a real
 * containerd, the kubelet's fake runtime in memory.
 *
 * Does not own: what should run (kubelet/), containerd's process (containerd/),
 * retries (callers decide; a call fails fast with UNAVAILABLE while the runtime
 * is down).
 *
 * State: one shared gRPC channel per client; it reconnects by itself (backoff
 * 100 ms → 1 s, so a restarted containerd is reachable within a second). No
 * other state. Timers: only the event subscriptions' reconnect timeouts (see
 * container-events.ts).
 */
import { Channel, Client, credentials, type ChannelOptions } from '@grpc/grpc-js';
import { ContainerdEventSource, type EventSourceOptions } from './container-events.ts';
import { grpcDefinitions } from './grpc-definitions.ts';
import { GrpcImageService } from './image-service.ts';
import { DEFAULT_CRI_TIMEOUTS, GrpcRuntimeService, type CriTimeouts } from './runtime-service.ts';
import type { ContainerEventSource, ImageService, RuntimeService } from './types.ts';

export { CRI_NAMESPACE } from './container-events.ts';
export { DEFAULT_CRI_TIMEOUTS, type CriTimeouts } from './runtime-service.ts';

export interface CriClient {
  runtime: RuntimeService;
  images: ImageService;
  events: ContainerEventSource;
  /** Ends event subscriptions and closes the channel; pending calls fail. Idempotent. */
  close(): void;
}

export interface CriClientOptions {
  timeouts?: Partial<CriTimeouts>;
  events?: EventSourceOptions;
}

/** containerd caps messages at 16 MiB; ExecSync output is capped at 16 MiB per stream. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  // Idle channels drop their connection; the next call reconnects transparently.
  'grpc.client_idle_timeout_ms': 5 * 60_000,
};

/** `socketPath` is a filesystem path (`/run/x.sock`) or a `unix://` address. */
export function createCriClient(socketPath: string, opts: CriClientOptions = {}): CriClient {
  const target = socketPath.startsWith('unix:') ? socketPath : `unix://${socketPath}`;
  const defs = grpcDefinitions();
  const channel = new Channel(target, credentials.createInsecure(), CHANNEL_OPTIONS);
  const client = new Client(target, credentials.createInsecure(), { channelOverride: channel });
  const timeouts = { ...DEFAULT_CRI_TIMEOUTS, ...opts.timeouts };
  const events = new ContainerdEventSource(client, defs.events, defs.taskEvents, opts.events);
  let closed = false;
  return {
    runtime: new GrpcRuntimeService(client, defs.runtime, timeouts),
    images: new GrpcImageService(client, defs.images, timeouts),
    events,
    close() {
      if (closed) return;
      closed = true;
      events.close();
      client.close();
      channel.close();
    },
  };
}
