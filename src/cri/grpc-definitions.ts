/**
 * Loads berth's .proto subsets once per process: the gRPC method definitions
 * (CRI RuntimeService/ImageService, containerd Events) and a protobufjs root
 * for decoding containerd's task event payloads out of `Any`.
 *
 * Decoding conventions (every consumer relies on them): field names camelCase,
 * int64/uint64 as decimal strings (CRI's nanosecond times do not fit a double
 * exactly), enums as their names, absent scalars/lists/maps as defaults and
 * absent messages as null.
 *
 * The method definitions are built from protobufjs directly, as
 * @grpc/proto-loader builds them (`encode(fromObject(v))`, `toObject(decode(b))`)
 * minus the descriptor protos it also computes for reflection, which berth
 * never uses: that was ~25 ms of every start and of every `berth down`.
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';

const PROTO_DIR = fileURLToPath(new URL('./proto/', import.meta.url));

/** How messages become objects (see the conventions above). */
const DECODE_OPTIONS: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

export type Method = MethodDefinition<any, any>;

export interface GrpcDefinitions {
  runtime: ServiceDefinition;
  images: ServiceDefinition;
  events: ServiceDefinition;
  /** Decoder for the Any payloads of containerd events, keyed by full message name. */
  taskEvents: protobuf.Root;
}

/**
 * Parses .proto files into one root, field names camelCase. `google/protobuf/*`
 * imports resolve to protobufjs's bundled definitions (whose own fields keep
 * their snake_case names, e.g. Any's `type_url`).
 */
export function loadProtos(files: string[]): protobuf.Root {
  const root = new protobuf.Root();
  root.loadSync(files, { keepCase: false });
  root.resolveAll();
  return root;
}

/** grpc-js's definition of a service in `root`: each method under its proto name, `originalName` camelCase. */
export function serviceDefinition(root: protobuf.Root, name: string): ServiceDefinition {
  const service = root.lookupService(name);
  const def: Record<string, Method> = {};
  for (const m of service.methodsArray) {
    m.resolve();
    const req = m.resolvedRequestType!;
    const res = m.resolvedResponseType!;
    def[m.name] = {
      path: `/${name}/${m.name}`,
      requestStream: m.requestStream === true,
      responseStream: m.responseStream === true,
      requestSerialize: (v: object) => Buffer.from(req.encode(req.fromObject(v)).finish()),
      requestDeserialize: (b: Buffer) => req.toObject(req.decode(b), DECODE_OPTIONS),
      responseSerialize: (v: object) => Buffer.from(res.encode(res.fromObject(v)).finish()),
      responseDeserialize: (b: Buffer) => res.toObject(res.decode(b), DECODE_OPTIONS),
      originalName: m.name.charAt(0).toLowerCase() + m.name.slice(1),
    };
  }
  return def as ServiceDefinition;
}

let cached: GrpcDefinitions | undefined;

export function grpcDefinitions(): GrpcDefinitions {
  if (cached) return cached;
  const services = loadProtos([`${PROTO_DIR}cri-v1.proto`, `${PROTO_DIR}containerd-events.proto`]);
  cached = {
    runtime: serviceDefinition(services, 'runtime.v1.RuntimeService'),
    images: serviceDefinition(services, 'runtime.v1.ImageService'),
    events: serviceDefinition(services, 'containerd.services.events.v1.Events'),
    taskEvents: loadProtos([`${PROTO_DIR}containerd-task-events.proto`]),
  };
  return cached;
}
