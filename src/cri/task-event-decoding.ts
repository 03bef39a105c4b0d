/**
 * containerd event envelope → `ContainerEvent`. Pure: decodes the `Any` payload
 * with the task-event protobuf root and drops what berth does not track —
 * non-task topics, payloads of unknown type, and exec processes (a TaskExit or
 * TaskDelete whose exec `id` is set and differs from `container_id`).
 */
import type protobuf from 'protobufjs';
import type { ContainerEvent } from './types.ts';
import { timestampToMs } from './wire-mapping.ts';

/** An Envelope as decoded by grpc-definitions.ts. */
export interface WireEnvelope {
  timestamp?: { seconds?: string | number | null; nanos?: number | null } | null;
  namespace?: string;
  topic?: string;
  // protobufjs's bundled google.protobuf.Any keeps its snake_case field names.
  event?: { type_url?: string; typeUrl?: string; value?: Uint8Array } | null;
}

const TOPIC_TYPES: Record<string, { message: string; type: ContainerEvent['type'] }> = {
  '/tasks/create': { message: 'containerd.events.TaskCreate', type: 'created' },
  '/tasks/start': { message: 'containerd.events.TaskStart', type: 'started' },
  '/tasks/exit': { message: 'containerd.events.TaskExit', type: 'exited' },
  '/tasks/oom': { message: 'containerd.events.TaskOOM', type: 'oom' },
  '/tasks/delete': { message: 'containerd.events.TaskDelete', type: 'deleted' },
};

/** The message name of a type URL: `types.example/containerd.events.TaskExit` → `containerd.events.TaskExit`. */
export function typeNameOf(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
}

export function decodeTaskEvent(env: WireEnvelope, root: protobuf.Root): ContainerEvent | null {
  const known = env.topic ? TOPIC_TYPES[env.topic] : undefined;
  const typeUrl = env.event?.type_url ?? env.event?.typeUrl;
  if (!known || !typeUrl || !env.event?.value) return null;
  if (typeNameOf(typeUrl) !== known.message) return null;
  const type = root.lookupType(known.message);
  const msg = type.toObject(type.decode(env.event.value), { longs: String, defaults: true }) as {
    containerId: string;
    id?: string;
    exitStatus?: number;
    exitedAt?: { seconds?: string; nanos?: number } | null;
  };
  if (!msg.containerId) return null;
  if ((known.type === 'exited' || known.type === 'deleted') && msg.id && msg.id !== msg.containerId) return null;
  const at = known.type === 'exited' && msg.exitedAt ? timestampToMs(msg.exitedAt) : timestampToMs(env.timestamp);
  const e: ContainerEvent = { type: known.type, id: msg.containerId, at };
  if (known.type === 'exited') e.exitStatus = msg.exitStatus ?? 0;
  return e;
}
