/**
 * protobuf — decodes request bodies sent as `application/vnd.kubernetes.protobuf`
 * into the JSON shape the rest of berth handles.
 *
 * kubectl ≥ 1.32 creates namespaces, configmaps, secrets and services (`kubectl
 * create service …`) through its typed client, which writes protobuf (a `k8s\0` magic, then a runtime.Unknown
 * envelope carrying apiVersion, kind and the object's bytes). berth answers in
 * JSON, which those clients accept; it only needs to read what they send.
 *
 * Owns: the wire subset in k8s-core-v1.proto and the mapping from decoded
 * messages to JSON (Go's omitempty: zero scalars of non-pointer fields are
 * dropped; times become RFC 3339; bytes become base64).
 * Does not own: what happens to the object afterwards (verbs, registry).
 * State: the parsed .proto root, loaded once on first use.
 */
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import { ApiError, rfc3339Millis } from '../../api/api.ts';

const protoFile = fileURLToPath(new URL('./k8s-core-v1.proto', import.meta.url));
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

/** core/v1 kinds whose protobuf form berth can read, by Kind. */
const decodable = new Set(['ConfigMap', 'Secret', 'Namespace', 'Service']);

/** Fields holding maps: their values are kept even when empty. */
const mapFields = new Set(['labels', 'annotations', 'data', 'binaryData', 'stringData', 'selector']);
/** Go pointer fields: present on the wire only when set, so zero values are kept. */
const pointerFields = new Set([
  'deletionGracePeriodSeconds',
  'immutable',
  'controller',
  'blockOwnerDeletion',
  'appProtocol',
  'timeoutSeconds',
  'ipFamilyPolicy',
  'allocateLoadBalancerNodePorts',
  'loadBalancerClass',
  'internalTrafficPolicy',
  'trafficDistribution',
]);
/** IntOrString fields: JSON has the number or the string, by the message's type (0 int, 1 string). */
const intOrStringFields = new Set(['targetPort']);
const timeFields = new Set(['creationTimestamp', 'deletionTimestamp', 'lastTransitionTime', 'time']);

let root: protobuf.Root | undefined;

function types(): protobuf.Root {
  root ??= protobuf.loadSync(protoFile);
  return root;
}

function unsupported(why: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - ${why}; send it as application/json instead`);
}

/** True when `body` starts with the Kubernetes protobuf magic. */
export function isKubernetesProtobuf(body: Buffer): boolean {
  return body.length >= magic.length && body.subarray(0, magic.length).equals(magic);
}

/** Decodes one object; throws ApiError (400 or 415) when it cannot. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (!isKubernetesProtobuf(body)) throw new ApiError(400, 'BadRequest', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  const t = types();
  let envelope: any;
  try {
    envelope = t.lookupType('berth.k8s.Unknown').toObject(t.lookupType('berth.k8s.Unknown').decode(body.subarray(magic.length)), { defaults: false });
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
  }
  const apiVersion: string = envelope.typeMeta?.apiVersion ?? '';
  const kind: string = envelope.typeMeta?.kind ?? '';
  if (apiVersion !== 'v1' || !decodable.has(kind)) {
    throw unsupported(`berth reads protobuf only for v1 ${[...decodable].join(', ')}, not ${apiVersion ? `${apiVersion} ` : ''}${kind || 'this object'}`);
  }
  const type = t.lookupType(`berth.k8s.${kind}`);
  let message: protobuf.Message;
  try {
    message = type.decode(envelope.raw ?? new Uint8Array());
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
  }
  const obj = type.toObject(message, { longs: Number, bytes: String, defaults: false });
  return { apiVersion, kind, ...(toJsonShape(obj) as Record<string, unknown>) };
}

/** Applies Go's JSON rendering rules to a decoded message (see the file comment). */
function toJsonShape(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => toJsonShape(x));
    return items;
  }
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (timeFields.has(key)) {
    const seconds = Number(o.seconds ?? 0);
    const nanos = Number(o.nanos ?? 0);
    return seconds === 0 && nanos === 0 ? undefined : rfc3339Millis(seconds * 1000 + Math.floor(nanos / 1e6));
  }
  if (intOrStringFields.has(key)) return Number(o.type ?? 0) === 1 ? String(o.strVal ?? '') : Number(o.intVal ?? 0);
  if (key === 'fieldsV1') {
    const raw = typeof o.Raw === 'string' ? Buffer.from(o.Raw, 'base64').toString('utf8') : '';
    return raw ? JSON.parse(raw) : {};
  }
  if (mapFields.has(key)) return { ...o };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    const shaped = toJsonShape(x, k);
    if (shaped === undefined) continue;
    if (!pointerFields.has(k) && isZero(shaped) && !mapFields.has(k)) continue;
    if (mapFields.has(k) && Object.keys(shaped as object).length === 0) continue;
    out[k] = shaped;
  }
  return out;
}

function isZero(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}
