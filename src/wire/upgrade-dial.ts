/**
 * Dials a CRI streaming URL (containerd's streaming server: plain HTTP on
 * 127.0.0.1) and sends an upgrade request. Resolves with the upgraded socket
 * on 101, or with the answer (status, headers, body) when the server refused;
 * in both cases also with the raw response head, so a proxy can pass it on
 * unchanged. An upgraded socket is handed over paused: its consumer attaches
 * its listeners, then resumes it.
 */
import { connect, type Socket } from 'node:net';

export interface UpgradeRequest {
  method: 'GET' | 'POST';
  /** Extra request headers (name → value or values), sent in order. */
  headers: [string, string][];
  /** Appended to the URL's own query, for proxied requests that carry parameters. */
  extraQuery?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type UpgradeResult =
  | { upgraded: true; socket: Socket; status: 101; headers: Map<string, string[]>; rawHead: Buffer; rest: Buffer }
  | { upgraded: false; status: number; statusText: string; headers: Map<string, string[]>; rawHead: Buffer; body: Buffer };

const maxHead = 64 * 1024;
const maxErrorBody = 64 * 1024;

export function parseResponseHead(text: string): { status: number; statusText: string; headers: Map<string, string[]> } {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!m) throw new Error(`malformed HTTP status line ${JSON.stringify(lines[0] ?? '')}`);
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return { status: Number(m[1]), statusText: m[2] ?? '', headers };
}

export function dialUpgrade(rawUrl: string, req: UpgradeRequest): Promise<UpgradeResult> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'http:') return Promise.reject(new Error(`unsupported streaming URL scheme ${url.protocol}`));
  const port = Number(url.port || 80);
  let path = url.pathname + url.search;
  if (req.extraQuery) path += (url.search ? '&' : '?') + req.extraQuery;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    let parsed: ReturnType<typeof parseResponseHead> | undefined;
    let rawHead = Buffer.alloc(0);
    let body: Buffer[] = [];
    let bodyLen = 0;
    let contentLength = -1;
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`the streaming server at ${url.host} did not answer in time`)), req.timeoutMs ?? 30_000);
    const onAbort = () => fail(new Error('the request was cancelled'));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('end', onEnd);
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      reject(err);
    };
    const finishRefused = () => {
      if (settled || !parsed) return;
      settled = true;
      cleanup();
      socket.destroy();
      resolve({ upgraded: false, status: parsed.status, statusText: parsed.statusText, headers: parsed.headers, rawHead, body: Buffer.concat(body) });
    };
    const onEnd = () => (parsed ? finishRefused() : fail(new Error(`the streaming server at ${url.host} closed the connection`)));
    const onData = (chunk: Buffer) => {
      if (parsed) {
        body.push(chunk);
        bodyLen += chunk.length;
        if (bodyLen >= maxErrorBody || (contentLength >= 0 && bodyLen >= contentLength)) finishRefused();
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > maxHead) fail(new Error('the streaming server sent an oversized response head'));
        return;
      }
      rawHead = head.subarray(0, end + 4);
      const rest = head.subarray(end + 4);
      try {
        parsed = parseResponseHead(head.subarray(0, end).toString('latin1'));
      } catch (err) {
        fail(err as Error);
        return;
      }
      if (parsed.status === 101) {
        settled = true;
        cleanup();
        socket.pause();
        resolve({ upgraded: true, socket, status: 101, headers: parsed.headers, rawHead, rest });
        return;
      }
      contentLength = Number(parsed.headers.get('content-length')?.[0] ?? -1);
      body = rest.length ? [rest] : [];
      bodyLen = rest.length;
      if (contentLength >= 0 && bodyLen >= contentLength) finishRefused();
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', (err) => fail(err));
    socket.once('connect', () => {
      const lines = [`${req.method} ${path} HTTP/1.1`, `Host: ${url.host}`, ...req.headers.map(([n, v]) => `${n}: ${v}`)];
      if (req.method === 'POST' && !req.headers.some(([n]) => n.toLowerCase() === 'content-length')) lines.push('Content-Length: 0');
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}
