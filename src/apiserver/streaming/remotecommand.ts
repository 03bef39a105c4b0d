/**
 * exec/attach over a WebSocket: the bridge between kubectl's channel
 * protocol and the SPDY remotecommand protocol (v4) of containerd's
 * streaming server — what kube-apiserver's stream translator does since 1.30.
 *
 * WebSocket side (`v5.channel.k8s.io`, `v4.channel.k8s.io`): every binary
 * message is one channel byte plus data: 0 stdin, 1 stdout, 2 stderr,
 * 3 error (one Status, then the socket closes), 4 resize (JSON + newline);
 * v5 adds 255 = "close channel N" (kubectl sends [255, 0] at stdin EOF).
 *
 * SPDY side: one stream per channel, created in the order client-go creates
 * them (error, stdin, stdout, stderr, resize), each after the previous was
 * accepted; stdin EOF is a FIN on the stdin stream.
 *
 * Lifecycle: messages arriving before the SPDY streams exist are queued. The
 * session is over when the error stream and the output streams have ended
 * (containerd: stdout/stderr FIN, then the status, then resets and GOAWAY);
 * the Status goes out on channel 3 and the WebSocket closes with 1000. If
 * kubectl goes away first, the SPDY connection is reset and closed at once.
 */
import { internalErrorStatus, translateUpstreamStatus, upgradeFailureMessage, type ChannelStatus } from './exec-status.ts';
import { SpdyClientSession, type SpdyStream, dialUpgrade, CloseCode, type WebSocketConnection } from '../../wire/wire.ts';

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export const channelProtocolV5 = 'v5.channel.k8s.io';
export const channelProtocolV4 = 'v4.channel.k8s.io';
export const remoteCommandProtocols = [channelProtocolV5, channelProtocolV4] as const;

/** The remotecommand version spoken to containerd (its newest). */
const upstreamProtocol = 'v4.channel.k8s.io';

export interface StreamFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Why the session could not start, as a message for an InternalError Status. */
export class BridgeStartError extends Error {}

export interface BridgeOptions {
  ws: WebSocketConnection;
  protocol: string;
  flags: StreamFlags;
  /** Resolves to the CRI streaming URL; rejects with a BridgeStartError (or any error) when the node refuses. */
  upstreamUrl: () => Promise<string>;
  log: (msg: string) => void;
}

const channelByte: Record<number, Buffer> = { [Channel.stdout]: Buffer.from([Channel.stdout]), [Channel.stderr]: Buffer.from([Channel.stderr]) };

function channelMessage(channel: number, data: Buffer): Buffer {
  const b = Buffer.allocUnsafe(data.length + 1);
  b[0] = channel;
  data.copy(b, 1);
  return b;
}

/** Runs one exec/attach session to its end. Never throws. */
export async function bridgeRemoteCommand(o: BridgeOptions): Promise<void> {
  const { ws, flags } = o;
  const v5 = o.protocol === channelProtocolV5;
  const queued: Buffer[] = [];
  let deliver: ((m: Buffer) => void) | undefined;
  let session: SpdyClientSession | undefined;
  let clientGone = false;
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));

  let queuedBytes = 0;
  ws.onMessage = (data) => {
    if (deliver) return deliver(data);
    queued.push(data);
    queuedBytes += data.length;
    // Until the upstream streams exist, hold at most ~1 MiB of kubectl's input.
    if (queuedBytes > 1024 * 1024) ws.socket.pause();
  };
  ws.onClose = () => {
    clientGone = true;
    session?.close();
    finished();
  };

  // kube-apiserver sends an empty message on the lowest writable channel first.
  ws.send(channelMessage(flags.stdout ? Channel.stdout : flags.stderr ? Channel.stderr : Channel.error, Buffer.alloc(0)));

  let ended = false;
  const end = (status: ChannelStatus | Buffer | undefined) => {
    if (ended) return;
    ended = true;
    if (!clientGone && ws.isOpen) {
      if (status) ws.send(channelMessage(Channel.error, Buffer.isBuffer(status) ? status : Buffer.from(JSON.stringify(status))));
      ws.close(CloseCode.normal);
    }
    session?.close();
    finished();
  };

  let streams: { error: SpdyStream; stdin?: SpdyStream; stdout?: SpdyStream; stderr?: SpdyStream; resize?: SpdyStream };
  try {
    const url = await o.upstreamUrl();
    if (clientGone) return;
    const up = await dialUpgrade(url, {
      method: 'POST',
      headers: [
        ['Connection', 'Upgrade'],
        ['Upgrade', 'SPDY/3.1'],
        ['X-Stream-Protocol-Version', upstreamProtocol],
      ],
    });
    if (!up.upgraded) throw new BridgeStartError(upgradeFailureMessage(up.body.toString('utf8')));
    if (clientGone) {
      up.socket.destroy();
      return;
    }
    up.socket.setNoDelay(true);
    session = new SpdyClientSession(up.socket, { head: up.rest, log: o.log });
    const open = (type: string) => session!.openStream({ streamtype: type });
    const error = await open('error');
    const stdin = flags.stdin ? await open('stdin') : undefined;
    const stdout = flags.stdout ? await open('stdout') : undefined;
    const stderr = flags.stderr && !flags.tty ? await open('stderr') : undefined;
    const resize = flags.tty ? await open('resize') : undefined;
    streams = { error, stdin, stdout, stderr, resize };
  } catch (err) {
    if (clientGone) return;
    const message = err instanceof Error ? err.message : String(err);
    if (!(err instanceof BridgeStartError)) o.log(`exec/attach: could not reach the streaming server: ${message}`);
    end(internalErrorStatus(message));
    await done;
    return;
  }
  if (clientGone) {
    session.close();
    return;
  }

  // Upstream → kubectl. A full WebSocket buffer pauses the upstream socket.
  let errorBytes: Buffer[] = [];
  const pending = new Set<SpdyStream>();
  const maybeDone = () => {
    if (pending.size > 0) return;
    const raw = Buffer.concat(errorBytes);
    errorBytes = [];
    // v5 clients get kube-apiserver's translated Status; v4 clients the kubelet's own.
    end(v5 ? translateUpstreamStatus(raw) : raw.length ? raw : undefined);
  };
  const forward = (s: SpdyStream | undefined, channel: number) => {
    if (!s) return;
    pending.add(s);
    s.attach({
      onData: (d) => {
        if (!ws.sendParts([channelByte[channel], d])) pauseUntilDrained(ws, session!);
      },
      onEnd: () => {
        pending.delete(s);
        maybeDone();
      },
    });
  };
  pending.add(streams.error);
  forward(streams.stdout, Channel.stdout);
  forward(streams.stderr, Channel.stderr);
  streams.error.attach({
    onData: (d) => errorBytes.push(d),
    onEnd: () => {
      pending.delete(streams.error);
      maybeDone();
    },
  });
  for (const s of [streams.stdin, streams.resize]) s?.attach({ onData: () => {}, onEnd: () => {} });

  // kubectl → upstream.
  deliver = (m) => {
    if (m.length === 0) return;
    const data = m.subarray(1);
    switch (m[0]) {
      case Channel.stdin:
        streams.stdin?.write(data);
        // Backpressure: stop reading kubectl while containerd is behind.
        if (session.congested && !ws.socket.isPaused()) {
          ws.socket.pause();
          session.whenDrained(() => ws.socket.resume());
        }
        return;
      case Channel.resize:
        streams.resize?.write(data);
        return;
      case Channel.close:
        if (v5 && data[0] === Channel.stdin) streams.stdin?.end();
        return;
    }
  };
  for (const m of queued.splice(0)) deliver(m);
  if (ws.socket.isPaused()) session.whenDrained(() => ws.socket.resume());
  await done;
}

/** Backpressure: stop reading upstream while the WebSocket's socket buffer is full. */
function pauseUntilDrained(ws: WebSocketConnection, session: SpdyClientSession): void {
  if (session.paused) return;
  session.pause();
  ws.socket.once('drain', () => session.resume());
}
