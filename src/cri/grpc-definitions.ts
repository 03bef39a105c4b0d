/**
 * Loads berth's .proto subsets once per process: the gRPC method definitions
 * (CRI RuntimeService/ImageService, containerd Events) and a protobufjs root
 * for decoding containerd's task event payloads out of `Any`.
 *
 * Decoding conventions (every consumer relies on them): field names camelCase,
 * int64/uint64 as decimal strings (CRI's nanosecond times do not fit a double
 * exactly), enums as their names, absent scalars/lists/maps as defaults and
 * absent messages as null.
 */
import type { ServiceDefinition, MethodDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';

const PROTO_DIR = fileURLToPath(new URL('./proto/', import.meta.url));

export const LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

export type Method = MethodDefinition<any, any>;

export interface GrpcDefinitions {
  runtime: ServiceDefinition;
  images: ServiceDefinition;
  events: ServiceDefinition;
  /** Decoder for the Any payloads of containerd events, keyed by full message name. */
  taskEvents: protobuf.Root;
}

let cached: GrpcDefinitions | undefined;

export function grpcDefinitions(): GrpcDefinitions {
  if (cached) return cached;
  const cri = loadSync('cri-v1.proto', LOADER_OPTIONS);
  const events = loadSync('containerd-events.proto', LOADER_OPTIONS);
  // google/protobuf/* imports resolve to protobufjs's bundled definitions.
  const taskEvents = protobuf.loadSync(`${PROTO_DIR}containerd-task-events.proto`);
  cached = {
    runtime: cri['runtime.v1.RuntimeService'] as ServiceDefinition,
    images: cri['runtime.v1.ImageService'] as ServiceDefinition,
    events: events['containerd.services.events.v1.Events'] as ServiceDefinition,
    taskEvents,
  };
  return cached;
}
