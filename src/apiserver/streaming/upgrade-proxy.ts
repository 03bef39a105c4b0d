/**
 * Proxying of an upgrade request to the CRI streaming server, as
 * kube-apiserver's UpgradeAwareHandler does for SPDY clients (kubectl
 * ≤ 1.29, and the fallback of newer ones): the client's protocol headers go
 * to containerd, containerd's answer (101 or refusal) comes back unchanged,
 * and then the two connections are joined. containerd's side passes to the
 * client byte for byte. The client's side does too for the WebSocket
 * subprotocols that are the streaming server's own; a SPDY client's side
 * goes through wire/spdy/spdy-client-filter.ts, which checks and re-frames every frame
 * (containerd's SPDY library crashes on some malformed ones) and makes a
 * client that breaks the protocol lose its own session only.
 *
 * Teardown: when either connection ends or fails, the other is ended too.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { writeRefusal } from './raw-response.ts';
import { SpdyClientFilter, dialUpgrade } from '../../wire/wire.ts';

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

/**
 * Joins a SPDY client to the streaming server: the server's bytes go to the
 * client unchanged, the client's through a SpdyClientFilter (starting with
 * `head`, what the client sent right after its request). A violation
 * destroys both connections at once; nothing of the frame reaches upstream.
 */
export function spliceSpdy(client: Duplex, upstream: Duplex, head: Buffer, log: (msg: string) => void): void {
  const teardown = () => {
    filter.close();
    client.destroy();
    upstream.destroy();
  };
  const filter = new SpdyClientFilter({
    write: (bytes) => upstream.write(bytes),
    onViolation: (reason) => {
      log(`spdy: closed a client's session: ${reason}`);
      teardown();
    },
    pause: () => client.pause(),
    resume: () => client.resume(),
  });
  // Whatever the filter still holds goes upstream before the end does.
  const endUpstream = () => filter.whenIdle(() => (upstream.writableFinished || upstream.destroyed ? upstream.destroy() : upstream.end()));
  client.on('error', teardown);
  upstream.on('error', teardown);
  client.on('data', (chunk: Buffer) => filter.push(chunk));
  client.on('end', endUpstream);
  client.on('close', endUpstream);
  upstream.on('drain', () => filter.drained());
  upstream.on('close', () => {
    filter.close();
    if (client.writableFinished || client.destroyed) client.destroy();
    else client.end();
  });
  upstream.pipe(client, { end: true });
  if (head.length) filter.push(head);
  client.resume();
  upstream.resume();
}

export interface ProxyOptions {
  client: Duplex;
  /** Bytes the client sent after its request head. */
  head: Buffer;
  req: IncomingMessage;
  url: string;
  /** The client's query string, for upstreams that read parameters from it (WebSocket port-forward). */
  query?: string;
  /** The client speaks SPDY: its frames are checked and re-framed on the way (spliceSpdy). */
  spdy?: boolean;
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
  if (o.spdy) {
    spliceSpdy(o.client, up.socket, o.head, o.log);
    return;
  }
  if (o.head.length) up.socket.write(o.head);
  splice(o.client, up.socket);
}
