/**
 * The mapping between a decoded protobuf message (protobufjs plain object:
 * int64 as numbers, bytes as base64) and the JSON Go's encoding/json makes of
 * the same struct, in both directions, driven by the message types and the
 * field options of schema.ts. `toJson` reads what clients send; `fromJson` is
 * its inverse, for answers: toJson(fromJson(x)) is x for any object Go would
 * render as x.
 *
 * Go's rendering, field by field: zero scalars, empty lists and maps are
 * omitted (omitempty) unless the field is a pointer present on the wire
 * (ptr) or has no omitempty (keep); an inline struct's fields sit in its
 * parent's object (embedded); metav1.Time is RFC 3339 in seconds, MicroTime
 * with six fractional digits; Quantity is its string, IntOrString a number
 * or a string, bytes base64, FieldsV1 and RawExtension the JSON they carry.
 */
import protobuf from 'protobufjs';
import { ApiError, rfc3339 } from '../../api/api.ts';
import { isEmbedded, isPointer, keepsZero } from './schema.ts';

type Plain = Record<string, unknown>;

/** A JSON value the message types cannot carry; `path` is where (`spec.foo`). */
export class NotRepresentable extends Error {
  readonly path: string;
  constructor(path: string, why: string) {
    super(`${path}: ${why}`);
    this.path = path;
  }
}

// ---- protobuf → JSON ------------------------------------------------------

/** A decoded message as Go's encoding/json renders the struct. */
export function toJson(type: protobuf.Type, o: Plain): Plain {
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(o, field.name)) {
      const zero = keepsZero(field) ? zeroOf(field) : undefined;
      if (zero !== undefined) out[field.name] = zero;
      continue;
    }
    const v = o[field.name];
    if (isEmbedded(field) && field.resolvedType instanceof protobuf.Type) {
      Object.assign(out, toJson(field.resolvedType, v as Plain));
      continue;
    }
    const shaped = fieldToJson(field, v);
    if (shaped !== undefined) out[field.name] = shaped;
  }
  return out;
}

/** What Go renders for a field without omitempty that is absent from the wire. */
function zeroOf(field: protobuf.Field): unknown {
  if (field instanceof protobuf.MapField) return undefined;
  if (field.repeated) return [];
  if (field.resolvedType) return undefined;
  if (field.type === 'string' || field.type === 'bytes') return '';
  if (field.type === 'bool') return false;
  return 0;
}

function fieldToJson(field: protobuf.Field, v: unknown): unknown {
  if (field instanceof protobuf.MapField) {
    const entries = Object.entries(v as Plain);
    // A map's values are kept as they are (an empty string is a value); an empty map is omitted.
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([k, x]) => [k, valueToJson(field.resolvedType, x)]));
  }
  if (field.repeated) {
    const items = v as unknown[];
    if (items.length === 0) return keepsZero(field) ? [] : undefined;
    return items.map((x) => valueToJson(field.resolvedType, x));
  }
  const shaped = valueToJson(field.resolvedType, v);
  if (shaped === undefined) return undefined;
  // omitempty drops zero scalars; a struct (IntOrString's 0 included) is rendered whenever it is on the wire.
  const scalar = !(field.resolvedType instanceof protobuf.Type);
  if (scalar && !isPointer(field) && !keepsZero(field) && (shaped === '' || shaped === 0 || shaped === false)) return undefined;
  return shaped;
}

/** Go's MicroTime JSON: RFC 3339 with exactly six fractional digits. */
function rfc3339Micro(seconds: number, nanos: number): string {
  const micros = String(Math.floor(nanos / 1000)).padStart(6, '0');
  return rfc3339(seconds * 1000).replace(/Z$/, `.${micros}Z`);
}

/** One value of a field: a message by its well-known JSON form, else recursively; scalars as decoded. */
function valueToJson(resolved: protobuf.ReflectionObject | null, v: unknown): unknown {
  if (!(resolved instanceof protobuf.Type)) return v;
  const o = (v ?? {}) as Plain;
  switch (resolved.fullName) {
    case '.berth.k8s.Time':
    case '.berth.k8s.MicroTime': {
      const seconds = Number(o.seconds ?? 0);
      const nanos = Number(o.nanos ?? 0);
      if (seconds === 0 && nanos === 0) return undefined;
      return resolved.name === 'Time' ? rfc3339(seconds * 1000) : rfc3339Micro(seconds, nanos);
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
  return toJson(resolved, o);
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

// ---- JSON → protobuf ------------------------------------------------------

/** Strict (false), or told of each value left out because the types cannot carry it. */
export type Lenience = false | ((dropped: NotRepresentable) => void);

/**
 * The plain object (for `Type.fromObject`) whose message renders as `json`.
 * Throws NotRepresentable for a field the types do not declare or a value of
 * the wrong JSON type, or with `lenient` leaves such fields out and reports them. `apiVersion`
 * and `kind` are skipped where `typeMeta` says the object carries them (a
 * top-level object, or any object with ObjectMeta: a list's items), as
 * protobuf carries type meta only in the envelope.
 */
export function fromJson(type: protobuf.Type, json: unknown, path = '', typeMeta = false, lenient: Lenience = false): Plain {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new NotRepresentable(path || '.', `expected an object for ${type.name}`);
  const out: Plain = {};
  for (const [key, value] of Object.entries(json as Plain)) {
    if (value === null || value === undefined) continue;
    const at = path ? `${path}.${key}` : key;
    const route = routeOf(type, key);
    if (!route) {
      if (typeMeta && (key === 'apiVersion' || key === 'kind') && typeof value === 'string') continue;
      const missing = new NotRepresentable(at, `no field ${key} in ${type.name}`);
      if (!lenient) throw missing;
      lenient(missing);
      continue;
    }
    let target = out;
    for (const embedded of route.slice(0, -1)) target = (target[embedded.name] ??= {}) as Plain;
    const field = route[route.length - 1];
    try {
      target[field.name] = fieldFromJson(field, value, at, lenient);
    } catch (err) {
      if (!lenient || !(err instanceof NotRepresentable)) throw err;
      lenient(err);
    }
  }
  return out;
}

/** The field `key` names in `type`: itself, or through the inline structs it embeds. */
function routeOf(type: protobuf.Type, key: string): protobuf.Field[] | undefined {
  const direct = type.fields[key];
  if (direct && !isEmbedded(direct)) return [direct];
  for (const f of type.fieldsArray) {
    if (!isEmbedded(f) || !(f.resolvedType instanceof protobuf.Type)) continue;
    const inner = routeOf(f.resolvedType, key);
    if (inner) return [f, ...inner];
  }
  return undefined;
}

function fieldFromJson(field: protobuf.Field, value: unknown, at: string, lenient: Lenience): unknown {
  if (field instanceof protobuf.MapField) {
    if (typeof value !== 'object' || Array.isArray(value)) throw new NotRepresentable(at, 'expected a map');
    return Object.fromEntries(Object.entries(value as Plain).map(([k, x]) => [k, valueFromJson(field, x, `${at}.${k}`, lenient)]));
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new NotRepresentable(at, 'expected a list');
    return value.map((x, i) => valueFromJson(field, x, `${at}[${i}]`, lenient));
  }
  return valueFromJson(field, value, at, lenient);
}

const scalarKinds: Record<string, string> = {
  string: 'string',
  bytes: 'string',
  bool: 'boolean',
  int32: 'number',
  int64: 'number',
  uint32: 'number',
  uint64: 'number',
  sint32: 'number',
  sint64: 'number',
  fixed32: 'number',
  fixed64: 'number',
  double: 'number',
  float: 'number',
};

/** Parses RFC 3339 (any fraction) into a protobuf Timestamp's seconds and nanos. */
function timestamp(value: unknown, at: string): Plain {
  const m = typeof value === 'string' ? /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(value) : null;
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new NotRepresentable(at, 'expected an RFC 3339 time');
  return { seconds: Math.floor(ms / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

function valueFromJson(field: protobuf.Field, value: unknown, at: string, lenient: Lenience): unknown {
  const resolved = field.resolvedType;
  if (!(resolved instanceof protobuf.Type)) {
    if (resolved) throw new NotRepresentable(at, 'enums are not used by Kubernetes messages');
    if (typeof value !== scalarKinds[field.type]) throw new NotRepresentable(at, `expected a ${field.type}`);
    return value;
  }
  switch (resolved.fullName) {
    case '.berth.k8s.Time':
    case '.berth.k8s.MicroTime':
      return timestamp(value, at);
    case '.berth.k8s.IntOrString':
      if (typeof value === 'number') return { type: 0, intVal: value };
      if (typeof value === 'string') return { type: 1, strVal: value };
      throw new NotRepresentable(at, 'expected an int or a string');
    case '.berth.k8s.Quantity':
      if (typeof value === 'string' || typeof value === 'number') return { string: String(value) };
      throw new NotRepresentable(at, 'expected a quantity');
    case '.berth.k8s.FieldsV1':
      return { Raw: Buffer.from(JSON.stringify(value)).toString('base64') };
    case '.berth.k8s.RawExtension':
      return { raw: Buffer.from(JSON.stringify(value)).toString('base64') };
  }
  // An object with ObjectMeta may carry its type meta in JSON (a list's items); protobuf has no room for it.
  const isObject = resolved.fields.metadata?.resolvedType?.fullName === '.berth.k8s.ObjectMeta';
  return fromJson(resolved, value, at, isObject, lenient);
}
