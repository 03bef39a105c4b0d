/**
 * protobuf — Kubernetes' protobuf wire format (`application/vnd.kubernetes.protobuf`)
 * for request and response bodies.
 *
 * client-go's typed clients (kubectl ≥ 1.32 `create …`, controllers with
 * ContentType protobuf) send `k8s\0` then a runtime.Unknown envelope carrying
 * apiVersion, kind and the object's message bytes, and ask for answers the
 * same way (`Accept: application/vnd.kubernetes.protobuf, application/json`).
 * Watches stream length-prefixed meta/v1 WatchEvents whose object is the
 * enveloped object.
 *
 * Owns: the .proto files beside this file, k8s-<group>-<version>[-part].proto
 * (field names and numbers from upstream generated.proto, with berth's field
 * options; a kind has protobuf when its group version's package declares
 * it), the lookup of a kind's message (schema.ts), the JSON mapping both ways
 * (json.ts), the envelope and the watch frames (here).
 * Does not own: negotiation (negotiate.ts) or what the objects mean.
 * State: the parsed .proto root, loaded once on first use.
 */
import { ApiError } from '../../api/api.ts';
import { messageType, protoRoot, wellKnown } from './schema.ts';
import { fromJson, NotRepresentable, toJson } from './json.ts';

export { NotRepresentable } from './json.ts';

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

function unsupported(why: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - ${why}; send it as application/json instead`);
}

function badBody(err: unknown): ApiError {
  return new ApiError(400, 'BadRequest', `error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
}

/** True when `body` starts with the Kubernetes protobuf magic. */
export function isKubernetesProtobuf(body: Buffer): boolean {
  return body.length >= magic.length && body.subarray(0, magic.length).equals(magic);
}

/** True when berth can encode and decode `kind` of `apiVersion` (and its list) in protobuf. */
export function hasProtobufSchema(apiVersion: string, kind: string): boolean {
  return messageType(apiVersion, kind) !== undefined;
}

/** Decodes one object; throws ApiError (400 or 415) when it cannot. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (!isKubernetesProtobuf(body)) throw new ApiError(400, 'BadRequest', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  protoRoot();
  const unknownType = wellKnown.unknown();
  let envelope: any;
  try {
    envelope = unknownType.toObject(unknownType.decode(body.subarray(magic.length)), { defaults: false });
  } catch (err) {
    throw badBody(err);
  }
  const apiVersion: string = envelope.typeMeta?.apiVersion ?? '';
  const kind: string = envelope.typeMeta?.kind ?? '';
  const type = messageType(apiVersion, kind);
  if (!type) throw unsupported(`berth reads no protobuf for ${apiVersion ? `${apiVersion} ` : ''}${kind || 'this object'}`);
  let obj: Record<string, unknown>;
  try {
    obj = type.toObject(type.decode(envelope.raw ?? new Uint8Array()), { longs: Number, bytes: String, defaults: false });
  } catch (err) {
    throw badBody(err);
  }
  return { apiVersion, kind, ...toJson(type, obj) };
}

/**
 * An object (its `apiVersion` and `kind` set) as kube-apiserver's protobuf
 * serializer writes it: the magic, then runtime.Unknown with the type meta,
 * the message and empty contentEncoding and contentType. Throws
 * NotRepresentable when the kind has no schema or a field does not fit it,
 * unless `dropped` is given: then such a field is left out and reported.
 */
export function encodeKubernetesProtobuf(object: object, dropped?: (err: NotRepresentable) => void): Buffer {
  const obj = object as Record<string, unknown>;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const type = messageType(apiVersion, kind);
  if (!type) throw new NotRepresentable('.', `no protobuf schema for ${apiVersion} ${kind}`);
  const raw = type.encode(type.fromObject(fromJson(type, obj, '', true, dropped ?? false))).finish();
  const unknownType = wellKnown.unknown();
  const envelope = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([magic, envelope]);
}

/**
 * One frame of a protobuf watch (`;stream=watch`): a 4-byte big-endian
 * length, then a meta/v1 WatchEvent (not enveloped) whose object holds the
 * enveloped object, as the streaming serializer with the length-delimited
 * framer writes it. A field the schema lacks is left out (and reported to
 * `dropped`): a stream already promised protobuf cannot change its type.
 */
export function encodeWatchFrame(type: string, object: object, dropped: (err: NotRepresentable) => void = () => {}): Buffer {
  const event = wellKnown.watchEvent();
  const bytes = event.encode(event.fromObject({ type, object: { raw: encodeKubernetesProtobuf(object, dropped) } })).finish();
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The frames of a protobuf watch stream, decoded (for clients and tests); a partial frame at the end is left out. */
export function decodeWatchFrames(stream: Buffer): { type: string; object: Record<string, unknown> }[] {
  protoRoot();
  const event = wellKnown.watchEvent();
  const out: { type: string; object: Record<string, unknown> }[] = [];
  let at = 0;
  while (at + 4 <= stream.length) {
    const length = stream.readUInt32BE(at);
    if (at + 4 + length > stream.length) break;
    const e = event.toObject(event.decode(stream.subarray(at + 4, at + 4 + length)), { defaults: false }) as any;
    out.push({ type: e.type ?? '', object: decodeKubernetesProtobuf(Buffer.from(e.object?.raw ?? [])) });
    at += 4 + length;
  }
  return out;
}

export function isNotRepresentable(err: unknown): err is NotRepresentable {
  return err instanceof NotRepresentable;
}
