/**
 * The HTTP GET of an `httpGet` probe or lifecycle hook, as the kubelet builds
 * and sends it (`pkg/probe/http`): host defaults to the pod IP, the port is a
 * number or one of the container's named ports, the user agent is
 * `kube-probe/1.33` (or `kube-lifecycle/1.33`), `Accept: *\/*` unless the spec
 * sets it, a `Host` header sets the request's host. Redirects are followed on
 * the same host only (at most 10); HTTPS does not verify certificates.
 * Failures carry Go's texts (`Get "http://…": dial tcp …: connect: connection
 * refused`).
 */
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Container } from '../../api/api.ts';
import { nodeHttp } from '../../wire/node-http.ts';
import { dialErrorText, joinHostPort, readErrorText } from './net-errors.ts';

/** The Kubernetes minor version in user agents (kubelet v1.33). */
const kubeVersion = '1.33';
/** `maxRespBodyLength`: a probe reads at most 10 KiB of the body. */
export const maxBodyBytes = 10 * 1024;
const maxRedirects = 10;

export interface HttpGetAction {
  host?: string;
  httpHeaders?: { name: string; value: string }[];
  path?: string;
  port: number | string;
  scheme?: string;
}

export interface HttpGetRequest {
  /** The URL as Go prints it (`url.URL.String()`). */
  url: string;
  /** Header names in Go's canonical form, values in order. */
  headers: Map<string, string[]>;
}

export interface HttpGetResponse {
  statusCode: number;
  body: string;
}

/** `probe.ResolveContainerPort`: a number, a named container port, or a number written as a string. */
export function resolveContainerPort(port: number | string, container: Pick<Container, 'ports'> | undefined): number {
  let n: number;
  if (typeof port === 'number') n = port;
  else {
    const named = (container?.ports ?? []).find((p) => p.name === port);
    if (named) n = named.containerPort;
    else if (/^[+-]?\d+$/.test(port)) n = Number(port);
    else throw new Error(`strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`);
  }
  if (n > 0 && n < 65536) return n;
  throw new Error(`invalid port number: ${n}`);
}

/** Go's `http.CanonicalHeaderKey`: `x-custom-header` → `X-Custom-Header`. */
export function canonicalHeaderKey(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) return name;
  return name
    .toLowerCase()
    .split('-')
    .map((w) => (w ? w[0].toUpperCase() + w.slice(1) : w))
    .join('-');
}

/** `formatURL`: the path parsed as a URL reference, then scheme and host set. */
function formatUrl(scheme: string, host: string, port: number, path: string): string {
  const hostPort = joinHostPort(host, port);
  const p = path ?? '';
  const q = p.indexOf('?');
  const pathPart = q >= 0 ? p.slice(0, q) : p;
  const query = q >= 0 ? p.slice(q) : '';
  const slash = pathPart && !pathPart.startsWith('/') ? '/' : '';
  return `${scheme}://${hostPort}${slash}${pathPart}${query}`;
}

/** `NewRequestForHTTPGetAction`; throws with the kubelet's text when the port cannot be resolved. */
export function httpGetRequest(
  action: HttpGetAction,
  container: Pick<Container, 'ports'> | undefined,
  podIP: string,
  purpose: 'probe' | 'lifecycle',
): HttpGetRequest {
  const scheme = (action.scheme || 'HTTP').toLowerCase();
  const host = action.host || podIP;
  const port = resolveContainerPort(action.port, container);
  const headers = new Map<string, string[]>();
  for (const h of action.httpHeaders ?? []) {
    const k = canonicalHeaderKey(h.name);
    headers.set(k, [...(headers.get(k) ?? []), h.value]);
  }
  if (!headers.has('User-Agent')) headers.set('User-Agent', [`kube-${purpose}/${kubeVersion}`]);
  if (!headers.has('Accept')) headers.set('Accept', ['*/*']);
  else if ((headers.get('Accept') ?? [''])[0] === '') headers.delete('Accept');
  return { url: formatUrl(scheme, host, port, action.path ?? ''), headers };
}

export class HttpGetError extends Error {
  /** The request got an HTTP answer to an HTTPS request (the hook runner then retries over HTTP). */
  readonly httpResponseToHttps: boolean;
  constructor(message: string, httpResponseToHttps = false) {
    super(message);
    this.name = 'HttpGetError';
    this.httpResponseToHttps = httpResponseToHttps;
  }
}

/**
 * Sends the GET with one overall timeout (Go's `http.Client.Timeout`), reads
 * at most `maxBodyBytes` of the body and closes the connection there, so an
 * endless body neither holds the probe until its timeout nor costs memory. Rejects with an `HttpGetError` whose
 * message is what Go's client would return.
 */
export async function doHttpGet(req: HttpGetRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpGetResponse> {
  // A deadline of real I/O (the HTTP client's timeout), on the platform's clock.
  const deadline = Date.now() + timeoutMs;
  let url = req.url;
  const firstHost = new URL(url).hostname;
  for (let hop = 0; ; hop++) {
    const res = await getOnce(url, req.headers, deadline, signal);
    const location = res.headers.location;
    if (res.statusCode >= 300 && res.statusCode < 400 && location && res.statusCode !== 304) {
      const next = new URL(location, url);
      if (next.hostname !== firstHost) return { statusCode: res.statusCode, body: res.body };
      if (hop + 1 >= maxRedirects) throw new HttpGetError(`Get ${JSON.stringify(next.href)}: stopped after 10 redirects`);
      url = next.href;
      continue;
    }
    return { statusCode: res.statusCode, body: res.body };
  }
}

function getOnce(
  url: string,
  headers: Map<string, string[]>,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<{ statusCode: number; body: string; headers: IncomingMessage['headers'] }> {
  const u = new URL(url);
  const https = u.protocol === 'https:';
  const port = Number(u.port || (https ? 443 : 80));
  const addr = joinHostPort(u.hostname.replace(/^\[|\]$/g, ''), port);
  const outHeaders: Record<string, string | string[]> = {};
  let hostHeader: string | undefined;
  for (const [k, v] of headers) {
    if (k === 'Host') hostHeader = v[0];
    else outHeaders[k] = v.length === 1 ? v[0] : v;
  }
  if (hostHeader) outHeaders.Host = hostHeader;
  const display = `Get ${JSON.stringify(url)}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    let connected = false;
    let local: string | undefined;
    const finish = (err: Error | null, value?: { statusCode: number; body: string; headers: IncomingMessage['headers'] }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const opts = {
      method: 'GET',
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port,
      path: `${u.pathname}${u.search}`,
      headers: outHeaders,
      agent: false as const,
      ...(https ? { rejectUnauthorized: false } : {}),
    };
    const req = (https ? httpsRequest : nodeHttp.request)(opts, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = () => finish(null, { statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
      res.on('data', (d: Buffer) => {
        chunks.push(Buffer.from(d.subarray(0, maxBodyBytes - size)));
        size += Math.min(d.length, maxBodyBytes - size);
        // `utilio.ReadAtMost`: the rest of the body is never read; the connection goes.
        if (size >= maxBodyBytes) answer();
      });
      res.on('end', answer);
      res.on('error', (err) => finish(new HttpGetError(`${display}: ${readErrorText(err, local, addr)}`)));
    });
    req.on('socket', (s) => {
      s.on('connect', () => {
        connected = true;
        local = s.localAddress && s.localPort ? joinHostPort(s.localAddress, s.localPort) : undefined;
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (https && (err.code === 'EPROTO' || /wrong version number|packet length too long/i.test(err.message))) {
        finish(new HttpGetError(`${display}: http: server gave HTTP response to HTTPS client`, true));
        return;
      }
      finish(new HttpGetError(`${display}: ${connected ? readErrorText(err, local, addr) : dialErrorText(err, addr)}`));
    });
    // The real-I/O deadline of `doHttpGet`.
    const timer = setTimeout(
      () => finish(new HttpGetError(`${display}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)),
      Math.max(0, deadline - Date.now()),
    );
    const onAbort = () => finish(new HttpGetError(`${display}: context canceled`));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}
