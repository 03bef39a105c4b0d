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
import { ApiError, goQuote } from '../../api/api.ts';
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

/**
 * The kind a write endpoint decodes its body into: the served apiVersion and
 * kind, and the Go type kube-apiserver converts into (`core.Pod`), which its
 * decode errors name.
 */
export interface DecodeTarget {
  apiVersion: string;
  kind: string;
  internalType: string;
}

/** apimachinery's summarizeData: the body's first bytes for an error, as text for JSON, else in hex. */
export function summarizeData(data: Buffer, maxLength = 30): string {
  if (data.length === 0) return '<empty>';
  if (data[0] === 0x7b) return data.length > maxLength ? `${data.subarray(0, maxLength).toString('latin1')} ...` : data.toString('latin1');
  const hex = data.toString('hex');
  return data.length > maxLength ? `${hex.slice(0, maxLength)} ...` : hex;
}

const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.lastIndexOf('/') + 1);

/**
 * transformDecodeError's two wordings: the body's own kind named when it
 * had one, else the bytes summarised.
 */
export function decodeError(target: DecodeTarget, why: string, body: Buffer, actual?: { apiVersion: string; kind: string }): ApiError {
  const message = actual
    ? `${actual.kind} in version ${goQuote(versionOf(actual.apiVersion))} cannot be handled as a ${target.kind}: ${why}`
    : `the object provided is unrecognized (must be of type ${target.kind}): ${why} (${summarizeData(body)})`;
  return new ApiError(400, 'BadRequest', message);
}

/**
 * Decodes one object. Without a target (a watch frame a client reads), a
 * kind berth has no schema for is a 415 and a malformed body a 400. With
 * the target of a write, every failure is kube-apiserver's 400 as its
 * protobuf serializer and transformDecodeError word it: the envelope's
 * missing kind and version default to the target's, a kind berth has no
 * schema for is not registered (berth's stand-in for the scheme), and
 * another registered kind cannot be converted into the target's type.
 */
export function decodeKubernetesProtobuf(body: Buffer, target?: DecodeTarget): Record<string, unknown> {
  if (!isKubernetesProtobuf(body)) {
    const notProtobuf = 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]';
    if (!target) throw new ApiError(400, 'BadRequest', notProtobuf);
    throw decodeError(target, body.length === 0 ? 'empty data' : notProtobuf, body);
  }
  if (target && body.length === magic.length) throw decodeError(target, 'empty body', body);
  protoRoot();
  const unknownType = wellKnown.unknown();
  let envelope: any;
  try {
    envelope = unknownType.toObject(unknownType.decode(body.subarray(magic.length)), { defaults: false });
  } catch (err) {
    throw target ? decodeError(target, err instanceof Error ? err.message : String(err), body) : badBody(err);
  }
  let apiVersion: string = envelope.typeMeta?.apiVersion ?? '';
  let kind: string = envelope.typeMeta?.kind ?? '';
  if (target) {
    kind ||= target.kind;
    apiVersion ||= target.apiVersion;
  }
  const type = messageType(apiVersion, kind);
  if (!type) {
    if (!target) throw unsupported(`berth reads no protobuf for ${apiVersion ? `${apiVersion} ` : ''}${kind || 'this object'}`);
    const why =
      kind === target.kind && apiVersion === target.apiVersion
        ? `berth reads no protobuf for ${apiVersion} ${kind}; send it as application/json instead`
        : `no kind ${goQuote(kind)} is registered for version ${goQuote(apiVersion)} in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`;
    throw decodeError(target, why, body, { apiVersion, kind });
  }
  let obj: Record<string, unknown>;
  try {
    obj = type.toObject(type.decode(envelope.raw ?? new Uint8Array()), { longs: Number, bytes: String, defaults: false });
  } catch (err) {
    throw target ? decodeError(target, err instanceof Error ? err.message : String(err), body, { apiVersion, kind }) : badBody(err);
  }
  if (target && kind !== target.kind) {
    // The scheme decodes the other kind, then finds no conversion into the target's internal type.
    throw decodeError(target, `converting (${versionOf(apiVersion)}.${kind}) to (${target.internalType}): unknown conversion`, body, { apiVersion, kind });
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
