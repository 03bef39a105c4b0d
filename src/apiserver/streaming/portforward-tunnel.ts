/**
 * port-forward over a WebSocket tunnel (subprotocol
 * `SPDY/3.1+portforward.k8s.io`, what kubectl ≥ 1.31 tries first): kubectl
 * runs an ordinary SPDY port-forward session whose bytes travel as binary
 * WebSocket messages. Like kube-apiserver's tunneling handler, berth opens
 * the SPDY upgrade to containerd first and completes the WebSocket handshake
 * only once containerd said 101; a refusal is passed back as a plain HTTP
 * answer, which makes kubectl fall back to SPDY and print the error.
 *
 * After the handshake the WebSocket messages carry kubectl's SPDY byte
 * stream: it goes to containerd through a SpdyClientFilter (checked and
 * re-framed, as for a plain SPDY client), and everything containerd sends
 * becomes one binary message. Either side's end closes the other (WebSocket
 * close code 1000); a SPDY violation closes the WebSocket with 1002 and drops
 * the containerd connection.
 */
import type { Duplex } from 'node:stream';
import { writeRefusal } from './raw-response.ts';
import { SpdyClientFilter, dialUpgrade, CloseCode, WebSocketConnection, switchingProtocolsResponse } from '../../wire/wire.ts';

export const portForwardProtocol = 'portforward.k8s.io';
export const portForwardTunnelProtocol = 'SPDY/3.1+portforward.k8s.io';

export interface TunnelOptions {
  client: Duplex;
  head: Buffer;
  websocketKey: string;
  url: string;
  log: (msg: string) => void;
}

export async function tunnelPortForward(o: TunnelOptions): Promise<void> {
  const up = await dialUpgrade(o.url, {
    method: 'POST',
    headers: [
      ['Connection', 'Upgrade'],
      ['Upgrade', 'SPDY/3.1'],
      ['X-Stream-Protocol-Version', portForwardProtocol],
    ],
  });
  if (!up.upgraded) {
    writeRefusal(o.client, up);
    return;
  }
  const upstream = up.socket;
  if (o.client.destroyed) {
    upstream.destroy();
    return;
  }
  upstream.setNoDelay(true);
  o.client.write(switchingProtocolsResponse(o.websocketKey, portForwardTunnelProtocol));
  const filter = new SpdyClientFilter({
    write: (bytes) => upstream.write(bytes),
    onViolation: (reason) => {
      o.log(`port-forward: closed a client's tunnel: ${reason}`);
      ws.close(CloseCode.protocolError, 'invalid SPDY frame');
      upstream.destroy();
    },
    pause: () => o.client.pause(),
    resume: () => o.client.resume(),
  });
  upstream.on('drain', () => filter.drained());
  const ws = new WebSocketConnection(o.client, {
    head: o.head,
    onMessage: (data) => filter.push(data),
    onClose: () => {
      filter.close();
      upstream.destroy();
    },
  });
  const toClient = (chunk: Buffer) => {
    if (!ws.send(chunk) && ws.isOpen && !upstream.isPaused()) {
      upstream.pause();
      o.client.once('drain', () => upstream.resume());
    }
  };
  if (up.rest.length) toClient(up.rest);
  upstream.on('data', toClient);
  upstream.on('error', (err) => o.log(`port-forward: streaming server connection failed: ${err.message}`));
  upstream.on('close', () => ws.close(CloseCode.normal));
  upstream.resume();
}
