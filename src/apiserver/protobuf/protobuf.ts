/**
 * protobuf — decodes request bodies sent as `application/vnd.kubernetes.protobuf`
 * into the JSON shape the rest of berth handles.
 *
 * kubectl ≥ 1.32 creates namespaces, configmaps, secrets, services (`kubectl
 * create service …`), deployments (`kubectl create deployment`), jobs and
 * cronjobs (`kubectl create job|cronjob`) through
 * its typed client, which writes protobuf (a `k8s\0` magic, then a
 * runtime.Unknown envelope carrying apiVersion, kind and the object's bytes).
 * berth answers in JSON, which those clients accept; it only needs to read
 * what they send.
 *
 * Owns: one .proto subset per API group beside this file (k8s-core-v1.proto,
 * which also holds the meta/v1 and PodTemplateSpec types the others use;
 * k8s-apps-v1.proto, k8s-batch-v1.proto), the table of kinds each group version can decode, and
 * the mapping from decoded messages to JSON, driven by the message types:
 * Go's omitempty (zero scalars, empty lists and maps are dropped unless the
 * field is a Go pointer, marked `(ptr)`), inline structs (`(embedded)`) merged
 * into their parent, Time as RFC 3339, Quantity as its string, IntOrString as
 * a number or string, bytes as base64, FieldsV1 and RawExtension as the JSON
 * they carry.
 * Does not own: what happens to the object afterwards (verbs, registry).
 * State: the parsed .proto root, loaded once on first use.
 */
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import { ApiError, rfc3339Millis } from '../../api/api.ts';

const protoFiles = ['./k8s-core-v1.proto', './k8s-apps-v1.proto', './k8s-batch-v1.proto'].map((f) => fileURLToPath(new URL(f, import.meta.url)));
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

/** Per apiVersion: the .proto package of its messages and the kinds berth decodes. */
const decodable: Readonly<Record<string, { pkg: string; kinds: readonly string[] }>> = {
  v1: { pkg: 'berth.k8s', kinds: ['ConfigMap', 'Secret', 'Namespace', 'Service'] },
  'apps/v1': { pkg: 'berth.k8s.apps.v1', kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'ControllerRevision'] },
  'batch/v1': { pkg: 'berth.k8s.batch.v1', kinds: ['Job', 'CronJob'] },
};

let root: protobuf.Root | undefined;

function types(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  // Imports name files relative to the importing one, as protoc's -I does for this folder.
  r.resolvePath = (origin, target) => (target.startsWith('/') ? target : fileURLToPath(new URL(target, `file://${origin}`)));
  r.loadSync(protoFiles, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

function unsupported(why: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - ${why}; send it as application/json instead`);
}

function decodableList(): string {
  return Object.entries(decodable)
    .map(([gv, { kinds }]) => `${gv} ${kinds.join(', ')}`)
    .join('; ');
}

/** True when `body` starts with the Kubernetes protobuf magic. */
export function isKubernetesProtobuf(body: Buffer): boolean {
  return body.length >= magic.length && body.subarray(0, magic.length).equals(magic);
}

/** Decodes one object; throws ApiError (400 or 415) when it cannot. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (!isKubernetesProtobuf(body)) throw new ApiError(400, 'BadRequest', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  const t = types();
  const unknownType = t.lookupType('berth.k8s.Unknown');
  let envelope: any;
  try {
    envelope = unknownType.toObject(unknownType.decode(body.subarray(magic.length)), { defaults: false });
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
  }
  const apiVersion: string = envelope.typeMeta?.apiVersion ?? '';
  const kind: string = envelope.typeMeta?.kind ?? '';
  const group = Object.hasOwn(decodable, apiVersion) ? decodable[apiVersion] : undefined;
  if (!group || !group.kinds.includes(kind)) {
    throw unsupported(`berth reads protobuf only for ${decodableList()}, not ${apiVersion ? `${apiVersion} ` : ''}${kind || 'this object'}`);
  }
  const type = t.lookupType(`${group.pkg}.${kind}`);
  let message: protobuf.Message;
  try {
    message = type.decode(envelope.raw ?? new Uint8Array());
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
  }
  const obj = type.toObject(message, { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>;
  return { apiVersion, kind, ...shapeMessage(type, obj) };
}

const isPointer = (field: protobuf.Field) => field.options?.['(ptr)'] === true;
const isEmbedded = (field: protobuf.Field) => field.options?.['(embedded)'] === true;

/** A decoded message as Go's encoding/json renders the struct (see the file comment). */
function shapeMessage(type: protobuf.Type, o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(o, field.name)) continue;
    const v = o[field.name];
    if (isEmbedded(field) && field.resolvedType instanceof protobuf.Type) {
      Object.assign(out, shapeMessage(field.resolvedType, v as Record<string, unknown>));
      continue;
    }
    const shaped = shapeField(field, v);
    if (shaped !== undefined) out[field.name] = shaped;
  }
  return out;
}

function shapeField(field: protobuf.Field, v: unknown): unknown {
  if (field instanceof protobuf.MapField) {
    const entries = Object.entries(v as Record<string, unknown>);
    // A map's values are kept as they are (an empty string is a value); an empty map is omitted.
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([k, x]) => [k, shapeValue(field.resolvedType, x)]));
  }
  if (field.repeated) {
    const items = v as unknown[];
    return items.length === 0 ? undefined : items.map((x) => shapeValue(field.resolvedType, x));
  }
  const shaped = shapeValue(field.resolvedType, v);
  if (shaped === undefined) return undefined;
  if (!isPointer(field) && (shaped === '' || shaped === 0 || shaped === false)) return undefined;
  return shaped;
}

/** One value of a field: a message by its well-known JSON form, else recursively; scalars as decoded. */
function shapeValue(resolved: protobuf.ReflectionObject | null, v: unknown): unknown {
  if (!(resolved instanceof protobuf.Type)) return v;
  const o = (v ?? {}) as Record<string, unknown>;
  switch (resolved.fullName) {
    case '.berth.k8s.Time': {
      const seconds = Number(o.seconds ?? 0);
      const nanos = Number(o.nanos ?? 0);
      return seconds === 0 && nanos === 0 ? undefined : rfc3339Millis(seconds * 1000 + Math.floor(nanos / 1e6));
    }
    case '.berth.k8s.IntOrString':
      return Number(o.type ?? 0) === 1 ? String(o.strVal ?? '') : Number(o.intVal ?? 0);
    case '.berth.k8s.Quantity':
      // resource.Quantity's zero value marshals as "0".
      return typeof o.string === 'string' && o.string !== '' ? o.string : '0';
    case '.berth.k8s.FieldsV1':
      return rawJson(o.Raw) ?? {};
    case '.berth.k8s.RawExtension':
      return rawJson(o.raw);
  }
  return shapeMessage(resolved, o);
}

/** Base64 bytes holding JSON, parsed; undefined when empty. */
function rawJson(b64: unknown): unknown {
  const text = typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : '';
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'BadRequest', 'error decoding request body: raw bytes that are not JSON');
  }
}
