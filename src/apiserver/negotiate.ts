/**
 * Content negotiation: whether a client asked for a Table (server-side
 * printing), and decoding of request bodies by Content-Type.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, errors } from '../api/api.ts';
import { decodeKubernetesProtobuf, protobufMediaType } from './protobuf/protobuf.ts';

export interface TableRequest {
  includeObject: 'None' | 'Metadata' | 'Object';
}

/** A Table is served only when `as=Table` (meta.k8s.io v1 or v1beta1) is accepted. */
export function wantsTable(accept: string | undefined, query: URLSearchParams): TableRequest | undefined {
  if (!accept) return undefined;
  for (const clause of accept.split(',')) {
    const params = clause.split(';').map((p) => p.trim());
    const kv = new Map(params.slice(1).map((p) => p.split('=') as [string, string]));
    if (kv.get('as') === 'Table' && (kv.get('g') ?? 'meta.k8s.io') === 'meta.k8s.io') {
      const inc = query.get('includeObject');
      return { includeObject: inc === 'None' || inc === 'Object' ? inc : 'Metadata' };
    }
  }
  return undefined;
}

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
 * (validation, storage) ever recurses that deep.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): any {
  const mt = mediaType(contentType);
  let value: unknown;
  if (mt === protobufMediaType) {
    value = decodeKubernetesProtobuf(body);
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
  return value;
}
