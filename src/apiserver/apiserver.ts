/**
 * apiserver — the Kubernetes REST API subset kubectl needs, over HTTPS.
 *
 * Owns: the HTTPS listener on 127.0.0.1, running authentication,
 * impersonation and authorization (auth.ts) before anything else, routing of
 * resource and non-resource paths, content negotiation (objects vs Tables),
 * watch streams, the scale subresource (verbs/scale.ts), and the pods/log,
 * exec, attach and portforward subresources (through the NodeStreams interface). Every failure leaves through
 * status.ts as a Kubernetes `Status`.
 *
 * Does not own: storage semantics (registry/), TLS material on disk or the
 * token (the caller passes them in), the node (reached only via NodeStreams).
 *
 * State: open connections and watch streams only; `stop()` ends them all.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errors } from '../api/api.ts';
import type { Registry } from '../registry/registry.ts';
import { apiAudiences, requestAttributes, requestAuth, sendImpersonationFailure, writeImpersonationFailure, type RequestAuth } from './auth.ts';
import type { Authorizer, TokenAuthenticator } from '../auth/auth.ts';
import type { RbacWriteGuard } from '../auth/rbac/rbac.ts';
import type { RequestContext } from './context.ts';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  byGroupVersion,
  legacyApiVersions,
  legacyGroup,
  legacyGroups,
  legacyResourceList,
  versionBody,
  wantsAggregated,
} from './discovery.ts';
import { negotiateOutput, tableRequest } from './negotiate.ts';
import type { NodeStreams } from './node-streams.ts';
import { openApiV2ContentType, openApiV2Document, openApiV3GroupVersion, openApiV3Path, openApiV3Root } from './openapi/openapi.ts';
import { parseRequestInfo, type RequestInfo } from './request-info.ts';
import { parseRequestTarget, type RequestTarget } from './request-target.ts';
import { sendError, sendJson } from './status.ts';
import { writeError } from './streaming/raw-response.ts';
import type { UpgradeHandler } from './streaming/streaming.ts';
import { del, deleteCollection } from './verbs/delete.ts';
import { podLog } from './verbs/log.ts';
import { get, list } from './verbs/read.ts';
import { watch } from './verbs/watch.ts';
import { create, patch, update } from './verbs/write.ts';
import { bindPod } from './verbs/binding.ts';
import { scale } from './verbs/scale.ts';
import { createReview } from './verbs/review.ts';
import { createServiceAccountToken } from './verbs/token.ts';
import type { TokenIssuer } from '../auth/serviceaccount/token-request.ts';
import type { UserInfo } from '../auth/auth.ts';

export interface ApiServerOptions {
  registry: Registry;
  /** The node's admin token (user kubernetes-admin, group system:masters). */
  token: string;
  /** Token authenticators tried after the admin token's (ServiceAccount tokens). */
  tokenAuthenticators?: readonly TokenAuthenticator[];
  /** Issues ServiceAccount tokens for serviceaccounts/<name>/token (TokenRequest). */
  serviceAccountTokens?: TokenIssuer;
  /**
   * The RBAC authorizer, run after the system:masters one. Without it the
   * bootstrap policy's group grants stand in (masters may do anything;
   * everyone may read the public paths, the authenticated discovery and
   * their self-reviews).
   */
  authorizer?: Authorizer;
  /** RBAC's escalation prevention for writes of roles and bindings (auth/rbac), run with the requesting user. */
  rbacWriteGuard?: RbacWriteGuard;
  tls: { certPem: string; keyPem: string };
  host?: string;
  port?: number;
  /** The node, once its agent runs; until then pods/log answers 503. */
  node?: () => NodeStreams | undefined;
  now?: () => number;
  /** Readiness of parts outside the apiserver (e.g. containerd). */
  readyChecks?: Record<string, () => boolean>;
  log?: (msg: string) => void;
  /** Upgrade handlers for streaming subresources, keyed by subresource. */
  upgrades?: Record<string, UpgradeHandler>;
}

export class ApiServer {
  #opts: ApiServerOptions;
  /** The listener on `host` first, then any added by listenAlso. */
  #servers: Server[] = [];
  #sockets = new Set<Socket | Duplex>();
  #stop = new AbortController();
  #auth: RequestAuth;
  #now: () => number;
  #log: (msg: string) => void;

  constructor(opts: ApiServerOptions) {
    this.#opts = opts;
    this.#auth = requestAuth({ adminToken: opts.token, tokenAuthenticators: opts.tokenAuthenticators, authorizer: opts.authorizer });
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? (() => {});
  }

  /** Listens; resolves with the bound port. */
  async start(signal?: AbortSignal): Promise<number> {
    const server = await this.#listen(this.#opts.port ?? 0, this.#opts.host ?? '127.0.0.1');
    this.#servers.push(server);
    const port = (server.address() as AddressInfo).port;
    signal?.addEventListener('abort', () => void this.stop(), { once: true });
    return port;
  }

  /**
   * Serves on `host` too, on the same port: the bridge address the
   * `kubernetes` Service's endpoint names, so pods reach the API. A
   * connection from an address `allowRemote` refuses is closed before TLS:
   * the API stays reachable only from this host and its pods.
   */
  async listenAlso(host: string, allowRemote: (ip: string) => boolean): Promise<void> {
    this.#servers.push(await this.#listen(this.port, host, allowRemote));
  }

  async #listen(port: number, host: string, allowRemote?: (ip: string) => boolean): Promise<Server> {
    const server = createServer({ cert: this.#opts.tls.certPem, key: this.#opts.tls.keyPem }, (req, res) => {
      void this.#handle(req, res);
    });
    if (allowRemote) {
      server.on('connection', (socket: Socket) => {
        if (!allowRemote(socket.remoteAddress?.replace(/^::ffff:/, '') ?? '')) socket.destroy();
      });
    }
    server.on('secureConnection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    server.on('upgrade', (req, socket, head) => this.#upgrade(req, socket, head));
    server.on('tlsClientError', () => {});
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  get port(): number {
    return (this.#servers[0]?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Closes every listener and every open connection (watches end). Idempotent. */
  async stop(): Promise<void> {
    this.#stop.abort();
    const servers = this.#servers;
    if (servers.length === 0) return;
    this.#servers = [];
    const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    await closed;
  }

  /**
   * Upgrade requests (exec, attach, portforward). Every failure, including a
   * synchronous throw from parsing or a handler, is answered on the socket as
   * a Status: an 'upgrade' listener that throws would end the process.
   */
  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    void this.#upgradeAuthenticated(req, socket, head);
  }

  /** The upgrade once its token is verified (ServiceAccount tokens verify asynchronously); every failure a Status on the socket. */
  async #upgradeAuthenticated(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      const target = parseRequestTarget(req.url);
      const user = await this.#auth.userOf(req, target.path);
      const info = parseRequestInfo(req.method ?? 'GET', target);
      // Authorized before the upgrade: a refusal is a Status on the socket, never a stream.
      this.#auth.authorize(requestAttributes(user, info, req.method ?? 'GET', target.query));
      const handler = this.#opts.upgrades?.[info.subresource];
      if (!info.isResource || info.resource !== 'pods' || !handler) {
        throw errors.badRequest(`upgrade not supported: ${req.headers.upgrade ?? ''}`);
      }
      handler(req, socket, head, info, target.query);
    } catch (err) {
      if (!writeImpersonationFailure(req, socket, err)) writeError(socket, err, this.#log);
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ac = new AbortController();
    const abort = () => ac.abort();
    res.on('close', abort);
    this.#stop.signal.addEventListener('abort', abort, { once: true });
    res.on('close', () => this.#stop.signal.removeEventListener('abort', abort));
    try {
      const target = parseRequestTarget(req.url);
      // As on a cluster, the health and version endpoints are public (system:public-info-viewer) to a
      // request without credentials; a wrong token is still refused.
      const user = await this.#auth.userOf(req, target.path);
      const info = parseRequestInfo(req.method ?? 'GET', target);
      this.#auth.authorize(requestAttributes(user, info, req.method ?? 'GET', target.query));
      if (!info.isResource) {
        this.#nonResource(req, res, target);
        return;
      }
      await this.#resource(req, res, info, target.query, ac.signal, user);
    } catch (err) {
      if (!sendImpersonationFailure(req, res, err)) sendError(res, err, this.#log);
    }
  }

  #nonResource(req: IncomingMessage, res: ServerResponse, target: RequestTarget): void {
    const path = target.path.replace(/\/+$/, '') || '/';
    const accept = req.headers.accept;
    if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotSupported(path, req.method ?? '');
    // Discovery and OpenAPI follow from the kind tables: core first, then each named group.
    const groups = byGroupVersion(this.#opts.registry.resources().map((r) => r.info));
    const core = groups.filter((g) => g.group === '');
    const named = groups.filter((g) => g.group !== '');
    const segments = path.split('/').filter((p) => p !== '');
    if (segments[0] === 'apis' && segments.length >= 2 && segments.length <= 3) {
      const g = named.find((x) => x.group === segments[1] && (segments.length === 2 || x.version === segments[2]));
      if (!g) throw errors.noSuchPath();
      return sendJson(res, 200, segments.length === 2 ? legacyGroup(g) : legacyResourceList(g));
    }
    if (path.startsWith('/openapi/v3/')) {
      const g = groups.find((x) => `/openapi/v3/${openApiV3Path(x)}` === path);
      if (!g) throw errors.noSuchPath();
      return sendJson(res, 200, openApiV3GroupVersion(g));
    }
    switch (path) {
      case '/version':
        return sendJson(res, 200, versionBody());
      case '/api':
        if (wantsAggregated(accept)) {
          return sendJson(res, 200, aggregatedDiscovery(core), { 'Content-Type': aggregatedContentType });
        }
        return sendJson(res, 200, legacyApiVersions(`127.0.0.1:${this.port}`));
      case '/apis':
        if (wantsAggregated(accept)) {
          return sendJson(res, 200, aggregatedDiscovery(named), { 'Content-Type': aggregatedContentType });
        }
        return sendJson(res, 200, legacyGroups(named));
      case '/api/v1':
        return sendJson(res, 200, legacyResourceList(core[0]));
      case '/openapi/v2': {
        const doc = openApiV2Document();
        res.writeHead(200, { 'Content-Type': openApiV2ContentType, 'Content-Length': doc.length, 'Cache-Control': 'no-cache, private' });
        res.end(doc);
        return;
      }
      case '/openapi/v3':
        return sendJson(res, 200, openApiV3Root(groups));
      case '/healthz':
      case '/livez':
      case '/readyz':
        return this.#health(res, path, target.query.has('verbose'));
    }
    throw errors.noSuchPath();
  }

  #health(res: ServerResponse, path: string, verbose: boolean): void {
    const checks = path === '/readyz' ? Object.entries(this.#opts.readyChecks ?? {}) : [];
    const results = checks.map(([name, check]) => [name, check()] as const);
    const ok = results.every(([, r]) => r);
    let text = ok ? 'ok' : `${path.slice(1)} check failed`;
    if (verbose) {
      text = results.map(([n, r]) => `[${r ? '+' : '-'}]${n} ${r ? 'ok' : 'failed'}`).join('\n') + `\n${path.slice(1)} ${ok ? 'check passed' : 'check failed'}`;
    }
    res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, private' });
    res.end(text);
  }

  async #resource(
    req: IncomingMessage,
    res: ServerResponse,
    info: RequestInfo,
    query: URLSearchParams,
    signal: AbortSignal,
    user: UserInfo,
  ): Promise<void> {
    const notFound = errors.noSuchPath;
    // The core group is served under /api only, named groups under /apis only.
    if ((info.prefix === 'api') !== (info.group === '')) throw notFound();
    const store = this.#opts.registry.resource(info.group, info.version, info.resource);
    if (!store) throw notFound();
    // Namespaced objects are reached only under a namespace; cluster-scoped ones never are.
    if (store.info.namespaced ? info.namespace === '' && info.name !== '' : info.namespace !== '') throw notFound();
    // Across all namespaces kube-apiserver routes only list and watch: no create, and no deletecollection of every namespace.
    if (store.info.namespaced && info.namespace === '' && info.verb !== 'list' && info.verb !== 'watch') {
      throw errors.methodNotSupported(store.info.resource, info.verb);
    }
    // A deprecated resource warns on every request, whatever its outcome (v1 Endpoints since v1.33).
    if (store.info.deprecationWarning) res.setHeader('Warning', [`299 - ${JSON.stringify(store.info.deprecationWarning)}`]);
    const output = negotiateOutput(req.headers.accept, query, req.headers['user-agent'], true);
    const ctx: RequestContext = {
      req,
      res,
      info,
      query,
      store,
      output,
      table: output.table ? tableRequest(query) : undefined,
      now: this.#now,
      signal,
      log: this.#log,
      user,
      guardWrite: this.#opts.rbacWriteGuard && ((obj, old) => this.#opts.rbacWriteGuard!(user, info.group, info.resource, info.namespace, obj, old)),
    };
    const review = store.strategy.review;
    if (review) {
      // A review is created to be answered, never stored: create on the collection is all there is.
      if (info.verb !== 'create' || info.name || info.subresource) throw errors.methodNotSupported(store.info.resource, info.verb);
      return createReview(ctx, review, { user, namespace: info.namespace, authorizer: this.#auth.authorizer, tokens: this.#auth.tokens, apiAudiences, now: this.#now() });
    }
    const sub = info.subresource;
    if (sub && !store.info.subresources.includes(sub)) throw notFound();
    if (sub === 'log') {
      if (info.verb !== 'get') throw errors.methodNotSupported('pods/log', info.verb);
      const node = this.#opts.node?.();
      if (!node) throw errors.serviceUnavailable('the node is starting');
      return podLog(ctx, node);
    }
    if (sub === 'binding') {
      if (info.verb !== 'create') throw errors.methodNotSupported('pods/binding', info.verb);
      return bindPod(ctx);
    }
    if (sub === 'exec' || sub === 'attach' || sub === 'portforward') {
      throw errors.badRequest(`Upgrade request required`);
    }
    if (sub === 'scale') return scale(ctx);
    if (sub === 'token') return createServiceAccountToken(ctx, this.#opts.serviceAccountTokens);
    if (sub && sub !== 'status') throw errors.methodNotSupported(`${store.info.resource}/${sub}`, info.verb);
    // Only the verbs the kind declares (and discovery lists) are routed: no deletecollection of namespaces.
    if (!sub && !store.info.verbs.includes(info.verb)) throw errors.methodNotSupported(store.info.resource, info.verb);
    switch (info.verb) {
      case 'get':
        return get(ctx);
      case 'list':
        return list(ctx);
      case 'watch':
        return watch(ctx);
      case 'create':
        if (info.name) throw errors.methodNotSupported(store.info.resource, 'create');
        return create(ctx);
      case 'update':
        return update(ctx);
      case 'patch':
        return patch(ctx);
      case 'delete':
        return del(ctx);
      case 'deletecollection':
        return deleteCollection(ctx);
      default:
        throw errors.methodNotSupported(store.info.resource, info.verb);
    }
  }
}
