/**
 * The server side of the RFC 6455 opening handshake: recognising a WebSocket
 * upgrade, choosing a subprotocol, and the 101 answer. Pure except for
 * `acceptKey` (SHA-1, as the RFC requires).
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function headerList(v: string | string[] | undefined): string[] {
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** Whether the request asks to upgrade to a WebSocket (any version). */
export function isWebSocketRequest(headers: IncomingHttpHeaders): boolean {
  const connection = headerList(headers.connection).map((s) => s.toLowerCase());
  return connection.includes('upgrade') && (headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols the client offers, in its order of preference. */
export function offeredProtocols(headers: IncomingHttpHeaders): string[] {
  return headerList(headers['sec-websocket-protocol']);
}

/** The first protocol of the client's list the server supports, if any. */
export function selectProtocol(offered: string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + guid).digest('base64');
}

/** Why the request cannot be upgraded (answered with 400), or undefined when it can. */
export function handshakeProblem(method: string | undefined, headers: IncomingHttpHeaders): string | undefined {
  if (method !== 'GET') return `websocket upgrade requires GET, not ${method ?? ''}`;
  if (headers['sec-websocket-version'] !== '13') return 'unsupported Sec-WebSocket-Version; only 13 is supported';
  const key = headers['sec-websocket-key'] ?? '';
  if (Buffer.from(key, 'base64').length !== 16) return 'missing or invalid Sec-WebSocket-Key';
  return undefined;
}

/** The 101 response head. */
export function switchingProtocolsResponse(key: string, protocol: string | undefined): string {
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${acceptKey(key)}`,
  ];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
