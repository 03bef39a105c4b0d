/**
 * Content negotiation as kube-apiserver's negotiation package does it: the
 * output media type (JSON, YAML, protobuf) and the conversion asked for with
 * it (a Table in JSON or YAML, PartialObjectMetadata[List] in any) from Accept, pretty
 * printing, the 406 for a watch that cannot stream, and decoding of request
 * bodies by Content-Type (415 for a type nobody decodes).
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, errors } from '../api/api.ts';
import { decodeError, decodeKubernetesProtobuf, protobufMediaType, summarizeData, type DecodeTarget } from './protobuf/protobuf.ts';
import { jsonTypeWord } from '../api/go-format.ts';

export interface TableRequest {
  includeObject: 'None' | 'Metadata' | 'Object';
}

/**
 * The media types kube-apiserver serves (its CodecFactory's, in order; CBOR
 * only behind a feature gate that is off in v1.33). Only JSON has a stream
 * (watch) serializer besides protobuf; YAML has none.
 */
export const servedMediaTypes = ['application/json', 'application/yaml', protobufMediaType] as const;
export type ServedMediaType = (typeof servedMediaTypes)[number];
const streamMediaTypes = ['application/json;stream=watch', `${protobufMediaType};stream=watch`];

/** One clause of an Accept header, as goautoneg.ParseAccept reads it. */
interface AcceptClause {
  type: string;
  subType: string;
  q: number;
  params: Map<string, string>;
}

const trimSpaces = (s: string) => s.replace(/^ +| +$/g, '');

/** Splits at the first `sep` only, as goautoneg's nextSplitElement. */
function splitFirst(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i === -1 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/**
 * goautoneg.ParseAccept: clauses without a subtype (other than `*`) or with
 * two slashes are dropped, `q` is parsed (an unparsable one is 0, and q=0 is
 * kept), and the clauses are sorted by its `Less`: higher q first, then
 * concrete types before wildcards. Go's sort.Sort is an insertion sort for
 * the dozen clauses a header has, which this reproduces.
 */
export function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  let remaining = header;
  while (remaining.length > 0) {
    let part: string;
    [part, remaining] = splitFirst(remaining, ',');
    part = trimSpaces(part);
    const [sp, paramsPart] = splitFirst(part, ';');
    const [t, rest] = splitFirst(sp, '/');
    const clause: AcceptClause = { type: trimSpaces(t), subType: '', q: 1, params: new Map() };
    if (rest.length === 0) {
      if (clause.type !== '*') continue;
      clause.subType = '*';
    } else {
      const [sub, extra] = splitFirst(rest, '/');
      if (extra.length > 0) continue;
      clause.subType = trimSpaces(sub);
    }
    let params = paramsPart;
    while (params.length > 0) {
      let p: string;
      [p, params] = splitFirst(params, ';');
      const [k, vRest] = splitFirst(p, '=');
      if (vRest.length === 0) continue;
      const [v, more] = splitFirst(vRest, '=');
      if (more.length !== 0) continue;
      const token = trimSpaces(k);
      if (token === 'q') {
        // strconv.ParseFloat: an error leaves 0.
        clause.q = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : 0;
      } else clause.params.set(token, trimSpaces(v));
    }
    clauses.push(clause);
  }
  const less = (a: AcceptClause, b: AcceptClause) =>
    a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subType !== '*' && b.subType === '*');
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0 && less(clauses[j], clauses[j - 1]); j--) {
      [clauses[j], clauses[j - 1]] = [clauses[j - 1], clauses[j]];
    }
  }
  return clauses;
}

/**
 * A conversion of the response (MediaTypeOptions.Convert) that
 * RequestScope.AllowsMediaTypeTransform admits: a meta.k8s.io v1 or v1beta1
 * Table, PartialObjectMetadata or PartialObjectMetadataList.
 */
export interface Transform {
  kind: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';
  version: 'v1' | 'v1beta1';
}

const transformKinds: readonly string[] = ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList'];

/** What a response is rendered as. */
export interface OutputNegotiation {
  /** The negotiated media type; an object protobuf cannot carry (no schema for its kind) is answered in JSON (status.ts encodeObject). */
  mediaType: ServedMediaType;
  /** `pretty=1` in the chosen clause, `?pretty=true`, or a curl/Wget/browser User-Agent (isPrettyPrint). */
  pretty: boolean;
  /** The conversion asked for (`as`, `g`, `v`), only where the endpoint converts. */
  transform?: Transform;
  /** The conversion is a Table (as=Table;g=meta.k8s.io;v=v1|v1beta1). */
  table: boolean;
  /** The chosen type has a watch stream serializer (JSON or protobuf, not YAML). */
  streamable: boolean;
}

/** Go's strconv.ParseBool, false for anything it refuses. */
function parseBool(s: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s);
}

/** negotiation.isPrettyPrint: the `pretty` query parameter if set, else a human User-Agent. */
export function isPrettyPrint(query: URLSearchParams, userAgent: string | undefined): boolean {
  const pp = query.get('pretty');
  if (pp) return parseBool(pp);
  const ua = userAgent ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}

/**
 * RequestScope.AllowsMediaTypeTransform for a clause's `as`/`g`/`v`: only a
 * meta.k8s.io v1 or v1beta1 kind, a Table only in JSON or YAML, the
 * PartialObjectMetadata kinds in any served type (list or not is judged when
 * the object is converted, as a 406). Undefined when refused.
 */
function allowedTransform(p: Map<string, string>, served: ServedMediaType): Transform | undefined {
  const kind = p.get('as') ?? '';
  const version = p.get('v') ?? '';
  if (p.get('g') !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1') || !transformKinds.includes(kind)) return undefined;
  if (kind === 'Table' && served === protobufMediaType) return undefined;
  return { kind: kind as Transform['kind'], version };
}

/**
 * kube-apiserver's NegotiateMediaTypeOptions: the first (sorted) Accept
 * clause that names a served type (or a wildcard over it) and whose
 * parameters the endpoint allows. `stream=watch` needs a stream serializer;
 * a conversion (`as`/`g`/`v`) must be one allowedTransform admits, and only
 * where `transforms` says the endpoint converts (a RequestScope; Status
 * errors are negotiated with DefaultEndpointRestrictions, which convert
 * nothing). No match, or no header, falls back to JSON: berth never refuses
 * an object for its Accept header, only a watch (negotiateWatch).
 */
export function negotiateOutput(
  accept: string | undefined,
  query: URLSearchParams,
  userAgent: string | undefined,
  transforms: boolean,
): OutputNegotiation {
  const result = (mediaType: ServedMediaType, transform?: Transform, prettyParam = false): OutputNegotiation => ({
    mediaType,
    ...(transform ? { transform } : {}),
    table: transform?.kind === 'Table',
    pretty: mediaType === 'application/json' && (prettyParam || isPrettyPrint(query, userAgent)),
    streamable: mediaType !== 'application/yaml',
  });
  if (accept) {
    for (const clause of parseAccept(accept)) {
      for (const served of servedMediaTypes) {
        const [type, subType] = served.split('/');
        const matches =
          (clause.type === type && (clause.subType === subType || clause.subType === '*')) || (clause.type === '*' && clause.subType === '*');
        if (!matches) continue;
        const p = clause.params;
        const stream = p.get('stream');
        if (stream && (served === 'application/yaml' || stream !== 'watch')) continue;
        if (p.has('sv') && p.get('sv') !== '') continue;
        let transform: Transform | undefined;
        if (p.has('as') || p.has('g') || p.has('v')) {
          transform = transforms ? allowedTransform(p, served) : undefined;
          if (!transform) continue;
        }
        return result(served, transform, p.get('pretty') === '1');
      }
    }
  }
  return result('application/json');
}

/** The Table options of a negotiated Table request (`includeObject`, Metadata by default). */
export function tableRequest(query: URLSearchParams): TableRequest {
  const inc = query.get('includeObject');
  return { includeObject: inc === 'None' || inc === 'Object' ? inc : 'Metadata' };
}

/** kube-apiserver's errNotAcceptable for a watch whose negotiated type cannot stream (YAML). */
export function notAcceptableForWatch(): ApiError {
  return new ApiError(406, 'NotAcceptable', `only the following media types are accepted: ${streamMediaTypes.join(', ')}`);
}

/**
 * NegotiateInputSerializerForMediaType: a create or update body must be one
 * of the served types (no Content-Type means JSON); anything else is a 415.
 */
export function checkInputMediaType(contentType: string | undefined): void {
  if (contentType === undefined || contentType.trim() === '') return;
  const mt = mediaType(contentType);
  if (!(servedMediaTypes as readonly string[]).includes(mt)) throw errors.unsupportedMediaType(servedMediaTypes);
}

/** The patch types kube-apiserver's installer registers for a built-in kind, in its order. */
export const patchMediaTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${maxBodyBytes}`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/**
 * Go's decoder refuses documents nested deeper than 10000 levels; berth
 * refuses them from 1000 on (a deliberate difference, in the README): its
 * validation and storage encode recursively on a JavaScript stack, which
 * 1000 levels leave far from exhausted. Real objects nest a few dozen deep.
 */
const maxNestingDepth = 1000;

/** The opening bracket at which `value` nests deeper than `max`, if it does; iterative, so any depth is safe. */
function excessNesting(value: unknown, max: number): '{' | '[' | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return Array.isArray(v) ? '[' : '{';
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/**
 * Decodes a JSON, YAML or Kubernetes protobuf body into a value. Bodies
 * nested too deep are a 400 with Go's decoder text, so nothing downstream
 * (validation, storage) ever recurses that deep. `target`, the kind a write
 * decodes into, words a protobuf body that is not of it (or that berth cannot
 * decode) as kube-apiserver's 400 "… cannot be handled as a <Kind>".
 */
export function decodeBody(body: Buffer, contentType: string | undefined, target?: DecodeTarget): any {
  const mt = mediaType(contentType);
  let value: unknown;
  if (mt === protobufMediaType) {
    value = decodeKubernetesProtobuf(body, target);
  } else {
    const text = body.toString('utf8');
    if (text.trim() === '') throw errors.badRequest('the body of the request was empty');
    try {
      value = mt.endsWith('yaml') ? parseYaml(text) : JSON.parse(text);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw errors.badRequest(`error decoding request body: ${why}`);
    }
  }
  const bracket = excessNesting(value, maxNestingDepth);
  if (bracket) throw errors.badRequest(`couldn't get version/kind; json parse error: invalid character '${bracket}' exceeded max depth`);
  checkTypeMeta(value, body, target);
  return value;
}

/**
 * apimachinery's SimpleMetaFactory.Interpret reads apiVersion and kind into
 * Go strings before anything else: a body whose apiVersion or kind is an
 * object, array, number or boolean fails there, with json's words for the
 * anonymous struct (`Go struct field .kind`), and nothing further reads it.
 */
function checkTypeMeta(value: unknown, body: Buffer, target: DecodeTarget | undefined): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = (value as Record<string, unknown>)[field];
    if (v === undefined || v === null || typeof v === 'string') continue;
    const why = `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonTypeWord(v)} into Go struct field .${field} of type string`;
    throw target ? decodeError(target, why, body) : errors.badRequest(`${why} (${summarizeData(body)})`);
  }
}
