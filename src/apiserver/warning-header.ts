/**
 * `Warning:` response headers (RFC 7234 §5.5, as kube-apiserver sends them):
 * code 299, agent `-`, the text quoted. kubectl prints each as
 * `Warning: <text>` on stderr. Appends to warnings already set on the response.
 */
import type { ServerResponse } from 'node:http';

export function addWarnings(res: ServerResponse, texts: readonly string[]): void {
  if (texts.length === 0) return;
  const prev = res.getHeader('Warning');
  const values = texts.map((t) => `299 - ${JSON.stringify(t)}`);
  res.setHeader('Warning', [...(Array.isArray(prev) ? prev : prev ? [String(prev)] : []), ...values]);
}
