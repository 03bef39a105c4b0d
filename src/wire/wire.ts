/**
 * wire — the byte-level protocols berth's streaming subresources speak, with
 * no knowledge of Kubernetes objects: WebSocket (RFC 6455, websocket/), SPDY/3
 * as spdystream speaks it (spdy/), and the client side of an HTTP/1.1 upgrade
 * (upgrade-dial.ts). Consumers import from this file.
 *
 * Owns: framing, header compression, connection and session state machines,
 * and the checks that keep a hostile peer's bytes bounded. Each connection or
 * session object owns its own state; nothing here is shared between
 * connections. Timers: only per-connection ones (the WebSocket close
 * handshake's timeout, a SPDY session's grace after it ends its socket, the
 * dial timeout).
 *
 * Does not own: what the channels mean (the remotecommand and port-forward
 * protocols, Status on the error channel) or which requests may upgrade —
 * that is apiserver/streaming/. Imports only node built-ins.
 *
 * Test doubles: test-socket-pair.ts (two ends of a real TCP connection) and
 * spdy/test-spdy-server.ts (a scripted stand-in for containerd's streaming
 * server); they are not exported here.
 */
export * from './websocket/websocket.ts';
export * from './spdy/spdy.ts';
export { dialUpgrade, parseResponseHead } from './upgrade-dial.ts';
export type { UpgradeRequest, UpgradeResult } from './upgrade-dial.ts';
