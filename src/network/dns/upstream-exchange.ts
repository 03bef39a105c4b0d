/**
 * One question to one upstream resolver, over UDP or TCP, within a time
 * limit. Each exchange has its own socket (a fresh source port) and the
 * caller's fresh random ID; a datagram that is not a response with that ID
 * is ignored, so a spoofed or stray packet cannot end the wait.
 *
 * Outcomes: `reply`; `refused` when the upstream is unreachable (ICMP port
 * unreachable on the connected UDP socket, a refused or reset TCP
 * connection) — the caller fails over at once instead of waiting; `timeout`;
 * `error` for anything else (a malformed or oversized TCP reply).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { maxTcpSize, readHeader } from './message.ts';

export interface Upstream {
  readonly host: string;
  readonly port: number;
}

export type ExchangeResult =
  | { readonly kind: 'reply'; readonly message: Buffer }
  | { readonly kind: 'refused' | 'timeout' | 'error'; readonly reason: string };

/** Sends `query` (whose ID is `id`) over UDP and waits at most `timeoutMs` for the response. */
export function exchangeUdp(upstream: Upstream, query: Buffer, id: number, timeoutMs: number, signal?: AbortSignal): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(net.isIPv6(upstream.host) ? 'udp6' : 'udp4');
    let done = false;
    const finish = (result: ExchangeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.close();
      resolve(result);
    };
    const onAbort = () => finish({ kind: 'error', reason: 'aborted' });
    const timer = setTimeout(() => finish({ kind: 'timeout', reason: `no reply from ${where(upstream)} over UDP in ${timeoutMs} ms` }), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('error', (err: NodeJS.ErrnoException) => {
      const unreachable = err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH';
      finish({ kind: unreachable ? 'refused' : 'error', reason: `ask ${where(upstream)} over UDP: ${err.code ?? err.message}` });
    });
    socket.on('message', (msg) => {
      const header = readHeader(msg);
      if (header === undefined || header.id !== id || (header.flags & 0x8000) === 0) return;
      finish({ kind: 'reply', message: msg });
    });
    // Connecting lets the kernel report ICMP port unreachable as ECONNREFUSED.
    socket.connect(upstream.port, upstream.host, () => {
      if (done) return;
      socket.send(query, (err) => {
        if (err) socket.emit('error', err);
      });
    });
  });
}

/** Sends `query` over TCP with its two-byte length and waits at most `timeoutMs` for the framed response. */
export function exchangeTcp(upstream: Upstream, query: Buffer, id: number, timeoutMs: number, signal?: AbortSignal): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: upstream.host, port: upstream.port });
    let done = false;
    let buffered = Buffer.alloc(0);
    const finish = (result: ExchangeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ kind: 'error', reason: 'aborted' });
    const timer = setTimeout(() => finish({ kind: 'timeout', reason: `no reply from ${where(upstream)} over TCP in ${timeoutMs} ms` }), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('error', (err: NodeJS.ErrnoException) => {
      const unreachable = err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH';
      finish({ kind: unreachable ? 'refused' : 'error', reason: `ask ${where(upstream)} over TCP: ${err.code ?? err.message}` });
    });
    socket.on('close', () => finish({ kind: 'error', reason: `${where(upstream)} closed the TCP connection before replying` }));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length > 2 + maxTcpSize) return finish({ kind: 'error', reason: `${where(upstream)} sent more than one message` });
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) return;
      const message = buffered.subarray(2, 2 + length);
      const header = readHeader(message);
      if (header === undefined || header.id !== id) return finish({ kind: 'error', reason: `${where(upstream)} replied over TCP with another ID` });
      finish({ kind: 'reply', message: Buffer.from(message) });
    });
  });
}

function where(upstream: Upstream): string {
  return net.isIPv6(upstream.host) ? `[${upstream.host}]:${upstream.port}` : `${upstream.host}:${upstream.port}`;
}
