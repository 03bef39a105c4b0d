/**
 * streaming — the pods/exec, pods/attach and pods/portforward subresources:
 * every upgrade request kubectl sends for them, over every protocol kubectl
 * 1.27–1.33 speaks.
 *
 * Owns: the apiserver-side checks (pod exists, container valid, pod bound,
 * stream flags — kube-apiserver's texts), protocol selection, and the four
 * ways a session runs:
 *   - WebSocket `v5.channel.k8s.io` / `v4.channel.k8s.io` (kubectl ≥ 1.30
 *     exec/attach): terminated here and bridged to SPDY (remotecommand.ts),
 *     as kube-apiserver's stream translator does;
 *   - WebSocket `SPDY/3.1+portforward.k8s.io` (kubectl ≥ 1.31 port-forward):
 *     unwrapped, checked like SPDY/3.1 below and passed to containerd
 *     (portforward-tunnel.ts);
 *   - SPDY/3.1 (kubectl ≤ 1.29, and the fallback of newer ones): proxied
 *     (upgrade-proxy.ts), as kube-apiserver's UpgradeAwareHandler does, but
 *     with every client frame checked and re-framed (wire/spdy/spdy-client-filter.ts),
 *     because containerd's SPDY library crashes on some malformed frames;
 *   - any other WebSocket subprotocol: proxied byte for byte.
 * The WebSocket and SPDY implementations are berth's own (src/wire/);
 * containerd's streaming server is the far end.
 *
 * Does not own: which container instance runs or the streaming URL (the
 * node, through NodeStreams), authentication (the apiserver checked the
 * token before handing the socket over).
 *
 * State: none beyond the open connections; each session ends when either
 * side closes, and the apiserver destroys upgraded sockets when it stops.
 * Timers: only close-handshake deadlines (2 s WebSocket, 1 s SPDY), unref'd.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, errors, type Pod } from '../../api/api.ts';
import { boolParam } from '../query-params.ts';
import { NodeStreamError, type NodeStreams } from '../node-streams.ts';
import type { RequestInfo } from '../request-info.ts';
import { resolveContainer } from '../verbs/log.ts';
import { upgradeFailureMessage } from './exec-status.ts';
import { portForwardTunnelProtocol, tunnelPortForward } from './portforward-tunnel.ts';
import { writeError } from './raw-response.ts';
import { BridgeStartError, bridgeRemoteCommand, remoteCommandProtocols, type StreamFlags } from './remotecommand.ts';
import { proxyUpgrade } from './upgrade-proxy.ts';
import { WebSocketConnection, handshakeProblem, isWebSocketRequest, offeredProtocols, selectProtocol, switchingProtocolsResponse } from '../../wire/wire.ts';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, info: RequestInfo, query: URLSearchParams) => void;

export interface StreamingDeps {
  /** The stored pod; throws ApiError NotFound when there is none. */
  getPod(namespace: string, name: string): Pod;
  /** The node, once its agent runs. */
  node(): NodeStreams | undefined;
  log(msg: string): void;
}

/** The request's query string as sent, for upstreams that read their parameters from it. */
function rawQuery(req: IncomingMessage): string {
  const i = (req.url ?? '').indexOf('?');
  return i < 0 ? '' : (req.url ?? '').slice(i + 1);
}

function isSpdyRequest(req: IncomingMessage): boolean {
  return /^spdy\/3\.1$/i.test((req.headers.upgrade ?? '').trim());
}

/** The text kube-apiserver's translator reports when the node refused (client-go's SPDY dial error). */
function bridgeError(err: unknown): Error {
  if (err instanceof NodeStreamError) return new BridgeStartError(upgradeFailureMessage(err.message));
  if (err instanceof ApiError) return new BridgeStartError(err.message);
  return err instanceof Error ? err : new Error(String(err));
}

/** kube-apiserver's streamLocation checks, shared by exec and attach. */
function commandTarget(deps: StreamingDeps, info: RequestInfo, query: URLSearchParams): { pod: Pod; container: string; flags: StreamFlags } {
  const pod = deps.getPod(info.namespace, info.name);
  const container = resolveContainer(pod, query.get('container'));
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${info.name} does not have a host assigned`);
  const flags: StreamFlags = {
    stdin: boolParam(query, 'stdin'),
    stdout: boolParam(query, 'stdout'),
    stderr: boolParam(query, 'stderr'),
    tty: boolParam(query, 'tty'),
  };
  // The kubelet drops stderr under a TTY (one pty carries both).
  if (flags.tty) flags.stderr = false;
  if (!flags.stdin && !flags.stdout && !flags.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return { pod, container, flags };
}

function node(deps: StreamingDeps): NodeStreams {
  const n = deps.node();
  if (!n) throw errors.serviceUnavailable('the node is starting');
  return n;
}

async function remoteCommand(kind: 'exec' | 'attach', deps: StreamingDeps, req: IncomingMessage, socket: Duplex, head: Buffer, info: RequestInfo, query: URLSearchParams): Promise<void> {
  const { pod, container, flags } = commandTarget(deps, info, query);
  const n = node(deps);
  const url = () =>
    kind === 'exec'
      ? n.execUrl(pod, { container, command: query.getAll('command'), ...flags })
      : n.attachUrl(pod, { container, ...flags });

  if (isWebSocketRequest(req.headers)) {
    const problem = handshakeProblem(req.method, req.headers);
    if (problem) throw errors.badRequest(problem);
    const protocol = selectProtocol(offeredProtocols(req.headers), remoteCommandProtocols);
    if (!protocol) {
      // Other channel protocols (base64, v1–v3) are the streaming server's to speak.
      await proxyUpgrade({ client: socket, head, req, url: await url(), query: rawQuery(req), log: deps.log });
      return;
    }
    socket.write(switchingProtocolsResponse(req.headers['sec-websocket-key']!, protocol));
    const ws = new WebSocketConnection(socket, { head });
    await bridgeRemoteCommand({
      ws,
      protocol,
      flags,
      upstreamUrl: () => url().catch((err) => Promise.reject(bridgeError(err))),
      log: deps.log,
    });
    return;
  }
  if (!isSpdyRequest(req)) throw errors.badRequest(`upgrade not supported: ${req.headers.upgrade ?? ''}`);
  await proxyUpgrade({ client: socket, head, req, url: await url(), spdy: true, log: deps.log });
}

/** kubelet portforward.NewV4Options' parsing of the `ports` parameter (required only for WebSocket clients). */
function parsePorts(query: URLSearchParams): number[] {
  const out: number[] = [];
  for (const raw of query.getAll('ports').flatMap((p) => p.split(','))) {
    const s = raw.trim();
    if (!/^\d+$/.test(s) || Number(s) > 65535) throw errors.badRequest(`unable to parse "${s}" as a port: strconv.ParseUint: parsing "${s}": invalid syntax`);
    if (Number(s) === 0) throw errors.badRequest(`"0" is not a valid port`);
    out.push(Number(s));
  }
  return out;
}

async function portForward(deps: StreamingDeps, req: IncomingMessage, socket: Duplex, head: Buffer, info: RequestInfo, query: URLSearchParams): Promise<void> {
  const pod = deps.getPod(info.namespace, info.name);
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${info.name} does not have a host assigned`);
  const ports = parsePorts(query);
  const n = node(deps);
  if (isWebSocketRequest(req.headers)) {
    const problem = handshakeProblem(req.method, req.headers);
    if (problem) throw errors.badRequest(problem);
    const url = await n.portForwardUrl(pod, ports);
    if (selectProtocol(offeredProtocols(req.headers), [portForwardTunnelProtocol])) {
      await tunnelPortForward({ client: socket, head, websocketKey: req.headers['sec-websocket-key']!, url, log: deps.log });
      return;
    }
    // The channel-per-port WebSocket protocol is the streaming server's own.
    await proxyUpgrade({ client: socket, head, req, url, query: rawQuery(req), log: deps.log });
    return;
  }
  if (!isSpdyRequest(req)) throw errors.badRequest(`upgrade not supported: ${req.headers.upgrade ?? ''}`);
  await proxyUpgrade({ client: socket, head, req, url: await n.portForwardUrl(pod, ports), spdy: true, log: deps.log });
}

/** The upgrade handlers for the apiserver's `upgrades` option, keyed by subresource. */
export function streamingUpgrades(deps: StreamingDeps): Record<'exec' | 'attach' | 'portforward', UpgradeHandler> {
  const run = (fn: () => Promise<void>, socket: Duplex) => {
    if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    fn().catch((err) => writeError(socket, err, deps.log));
  };
  return {
    exec: (req, socket, head, info, query) => run(() => remoteCommand('exec', deps, req, socket, head, info, query), socket),
    attach: (req, socket, head, info, query) => run(() => remoteCommand('attach', deps, req, socket, head, info, query), socket),
    portforward: (req, socket, head, info, query) => run(() => portForward(deps, req, socket, head, info, query), socket),
  };
}
