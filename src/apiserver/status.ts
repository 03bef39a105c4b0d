/**
 * The one place where failures become HTTP responses: an ApiError is sent as
 * its `Status`; anything else is an InternalError with the message only (no
 * stack trace ever reaches a client).
 */
import type { ServerResponse } from 'node:http';
import { ApiError, errors } from '../api/api.ts';

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
  sendJson(res, apiErr.code, apiErr.toStatus(), headers);
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
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
