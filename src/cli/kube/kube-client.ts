/**
 * The HTTPS client berth's commands use against a Kubernetes API server, as
 * kubectl talks to it: bearer token or client certificate from the
 * kubeconfig, Status errors as KubeApiError with kubectl's rendering, and
 * line streams for watches and logs.
 *
 * State: one keep-alive HTTPS agent per client and the set of open
 * streams; close() ends them all. No timers beyond per-request timeouts.
 */
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import type { KubeTarget } from './kubeconfig.ts';

/** An API answer that is not 2xx, with the Status fields kubectl prints. */
export class KubeApiError extends Error {
  readonly status: number;
  /** Status.reason (`NotFound`, `Invalid`, …), or the HTTP status text. */
  readonly reason: string;
  readonly body: any;
  constructor(status: number, reason: string, message: string, body?: unknown) {
    super(message);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
    this.body = body;
  }

  /** kubectl's rendering: `Error from server (NotFound): pods "x" not found`. */
  get kubectlText(): string {
    return `Error from server (${this.reason}): ${this.message}`;
  }
}

/** The server could not be reached at all. */
export class KubeConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConnectionError';
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** For non-streaming requests. Default 30 s. */
  timeoutMs?: number;
}

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

const REASON_BY_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function apiError(status: number, text: string): KubeApiError {
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body?.kind === 'Status') {
    return new KubeApiError(status, body.reason || REASON_BY_STATUS[status] || 'Unknown', body.message || text, body);
  }
  return new KubeApiError(status, REASON_BY_STATUS[status] ?? 'Unknown', text.trim() || `HTTP ${status}`, body);
}

export class KubeClient {
  readonly target: KubeTarget;
  #agent: Agent;
  #open = new Set<IncomingMessage>();
  #closed = false;

  constructor(target: KubeTarget) {
    this.target = target;
    this.#agent = new Agent({
      keepAlive: true,
      ca: target.ca,
      cert: target.cert,
      key: target.key,
      rejectUnauthorized: !target.insecure,
    });
  }

  get server(): string {
    return this.target.server.origin;
  }

  #url(path: string, query?: RequestOptions['query']): URL {
    const base = this.target.server.pathname.replace(/\/$/, '');
    const url = new URL(base + path, this.target.server);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  #send(method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
    if (this.#closed) return Promise.reject(new KubeConnectionError('the client is closed'));
    const url = this.#url(path, opts.query);
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json', 'User-Agent': 'berth/0.1' };
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    return new Promise((resolvePromise, reject) => {
      const req = request(url, { method, headers, agent: this.#agent, signal: opts.signal }, resolvePromise);
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.name === 'AbortError') return reject(err);
        const why = err.code === 'ECONNREFUSED' ? 'connection refused' : err.message;
        reject(new KubeConnectionError(`cannot reach the API server at ${url.origin}: ${why}`));
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** A request whose answer is read whole; non-2xx answers throw KubeApiError. */
  async call(method: string, path: string, opts: RequestOptions = {}): Promise<any> {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const res = await this.#send(method, path, { ...opts, signal });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) throw apiError(status, text);
    if (!text) return undefined;
    return (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text;
  }

  get(path: string, opts: RequestOptions = {}): Promise<any> {
    return this.call('GET', path, opts);
  }

  /**
   * Opens a streaming GET (a watch, or logs with follow) and calls `onLine`
   * for each line. Resolves when the server ends the stream or `signal`
   * aborts; a non-2xx answer throws KubeApiError before any line.
   */
  async stream(path: string, opts: RequestOptions, onLine: (line: string) => void): Promise<void> {
    let res: IncomingMessage;
    try {
      res = await this.#send('GET', path, opts);
    } catch (err) {
      if (opts.signal?.aborted) return;
      throw err;
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw apiError(status, Buffer.concat(chunks).toString('utf8'));
    }
    this.#open.add(res);
    try {
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      res.on('error', () => lines.close());
      for await (const line of lines) onLine(line);
    } catch (err) {
      if (!opts.signal?.aborted && !this.#closed) throw err;
    } finally {
      this.#open.delete(res);
    }
  }

  /** Ends open streams and idle connections. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const res of this.#open) res.destroy();
    this.#open.clear();
    this.#agent.destroy();
  }
}
