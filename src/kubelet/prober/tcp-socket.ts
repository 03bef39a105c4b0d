/**
 * The `tcpSocket` probe (`pkg/probe/tcp`): success when a TCP connection to
 * the pod IP (or the given host) and port opens within the timeout; the
 * connection is closed at once. Failures read as Go's dialer reports them.
 */
import { connect } from 'node:net';
import { dialErrorText, joinHostPort } from './net-errors.ts';

export interface TcpResult {
  ok: boolean;
  output: string;
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<TcpResult> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    let done = false;
    const socket = connect({ host, port });
    const finish = (r: TcpResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    // A connect deadline of real I/O (Go's dialer timeout), on the platform's timer.
    const timer = setTimeout(() => finish({ ok: false, output: `dial tcp ${addr}: i/o timeout` }), timeoutMs);
    socket.once('connect', () => finish({ ok: true, output: '' }));
    socket.once('error', (err) => finish({ ok: false, output: dialErrorText(err, addr) }));
  });
}
