/**
 * Byte-for-byte proxying of an upgrade request to the CRI streaming server,
 * as kube-apiserver's UpgradeAwareHandler does for SPDY clients (kubectl
 * ≤ 1.29, and the fallback of newer ones): the client's protocol headers go
 * to containerd, containerd's answer (101 or refusal) comes back unchanged,
 * and then the two connections are spliced. Neither side's protocol is
 * parsed here; SPDY's header compression state stays end to end.
 *
 * Teardown: when either connection ends or fails, the other is ended too.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { writeRefusal } from './raw-response.ts';
import { dialUpgrade } from './upstream-dial.ts';

/** The request headers an upgrade needs upstream (never Authorization). */
const forwardable = new Set([
  'connection',
  'upgrade',
  'x-stream-protocol-version',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'origin',
]);

/** The client's upgrade headers, every repetition kept (kubectl repeats X-Stream-Protocol-Version). */
export function upgradeHeaders(req: IncomingMessage): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    if (forwardable.has(name.toLowerCase())) out.push([name, req.rawHeaders[i + 1]]);
  }
  return out;
}

/** Joins two connections until either ends. */
export function splice(a: Duplex, b: Duplex): void {
  const teardown = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', teardown);
  b.on('error', teardown);
  a.on('close', () => (b.writableFinished || b.destroyed ? b.destroy() : b.end()));
  b.on('close', () => (a.writableFinished || a.destroyed ? a.destroy() : a.end()));
  a.pipe(b);
  b.pipe(a);
  a.resume();
  b.resume();
}

export interface ProxyOptions {
  client: Duplex;
  /** Bytes the client sent after its request head. */
  head: Buffer;
  req: IncomingMessage;
  url: string;
  /** The client's query string, for upstreams that read parameters from it (WebSocket port-forward). */
  query?: string;
  log: (msg: string) => void;
}

export async function proxyUpgrade(o: ProxyOptions): Promise<void> {
  const up = await dialUpgrade(o.url, {
    method: o.req.method === 'GET' ? 'GET' : 'POST',
    headers: upgradeHeaders(o.req),
    extraQuery: o.query,
  });
  if (!up.upgraded) {
    writeRefusal(o.client, up);
    return;
  }
  if (o.client.destroyed) {
    up.socket.destroy();
    return;
  }
  o.client.write(up.rawHead);
  if (up.rest.length) o.client.write(up.rest);
  if (o.head.length) up.socket.write(o.head);
  splice(o.client, up.socket);
}
