/**
 * The one place where failures become HTTP responses: an ApiError is sent as
 * its `Status`; anything else is an InternalError with the message only (no
 * stack trace ever reaches a client).
 */
import type { ServerResponse } from 'node:http';
import { Document, isScalar, parseDocument, visit } from 'yaml';
import { ApiError, errors } from '../api/api.ts';
import { negotiateOutput, type OutputNegotiation } from './negotiate.ts';
import { encodeKubernetesProtobuf, isNotRepresentable, protobufMediaType } from './protobuf/protobuf.ts';

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return errors.internal(message);
}

export function sendError(res: ServerResponse, err: unknown, log?: (msg: string) => void): void {
  const apiErr = toApiError(err);
  if (apiErr.code >= 500 && log) log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // As kube-apiserver's ErrorNegotiated: a Status asking for a retry says when in Retry-After too.
  const retry = apiErr.details?.retryAfterSeconds;
  const headers: Record<string, string> = retry ? { 'Retry-After': String(retry) } : {};
  // ErrorNegotiated: the Status in the negotiated type, never converted (no Table of a Status).
  sendObject(res, apiErr.code, apiErr.toStatus(), negotiationOf(res, false), headers);
}

/** The output negotiation for the request `res` answers (JSON when there is none). */
export function negotiationOf(res: ServerResponse, tables: boolean): OutputNegotiation {
  const req = res.req;
  // Never `new URL(req.url)`: a malformed target would throw here, inside the error path itself.
  const raw = req?.url ?? '/';
  const q = raw.indexOf('?');
  const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
  return negotiateOutput(req?.headers.accept, query, req?.headers['user-agent'], tables);
}

/** A string go-yaml v2 would read back as something else (YAML 1.1: a number, bool, null, …), so double-quotes. */
function ambiguous(s: string): boolean {
  if (s === '') return true;
  const doc = parseDocument(s, { version: '1.1' });
  return doc.errors.length === 0 && isScalar(doc.contents) && typeof doc.contents.value !== 'string';
}

/**
 * An API object as sigs.k8s.io/yaml's JSONToYAML renders it (the YAML
 * serializer encodes JSON, then converts with go-yaml v2): map keys sorted,
 * sequences not indented under their key, no line folding, strings that
 * would read as another type in double quotes, other unsafe ones in single.
 */
export function renderYaml(body: unknown): string {
  const doc = new Document(JSON.parse(JSON.stringify(body)), { sortMapEntries: true });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !node.value.includes('\n') && ambiguous(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0, singleQuote: true });
}

/**
 * The body and Content-Type of an object in the negotiated type. Protobuf
 * needs a schema for the object's kind and every field it carries; an object
 * that does not fit one is answered in JSON (the first served type, where
 * kube-apiserver's negotiation falls back), which client-go reads as well.
 */
export function encodeObject(body: unknown, neg: OutputNegotiation): { contentType: string; text: string | Buffer } {
  if (neg.mediaType === 'application/yaml') return { contentType: 'application/yaml', text: renderYaml(body) };
  if (neg.mediaType === protobufMediaType && body !== null && typeof body === 'object') {
    try {
      return { contentType: protobufMediaType, text: encodeKubernetesProtobuf(body) };
    } catch (err) {
      if (!isNotRepresentable(err)) throw err;
    }
  }
  return { contentType: 'application/json', text: neg.pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body) };
}

/** An API object (or Status) answered as WriteObjectNegotiated does: JSON, pretty JSON, YAML or protobuf. */
export function sendObject(
  res: ServerResponse,
  code: number,
  body: unknown,
  neg: OutputNegotiation = negotiationOf(res, false),
  headers: Record<string, string> = {},
): void {
  const { contentType, text } = encodeObject(body, neg);
  sendJson(res, code, body, { 'Content-Type': contentType, ...headers }, text);
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
  text: string | Buffer = JSON.stringify(body),
): void {
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function successStatus(details?: Record<string, unknown>): Record<string, unknown> {
  const s: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details) s.details = details;
  return s;
}
