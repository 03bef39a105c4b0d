/**
 * Go's texts for the network errors a probe or hook reports, so `Unhealthy`
 * events read as on a cluster: `dial tcp 10.244.0.5:8080: connect: connection
 * refused`, `dial tcp …: i/o timeout`, `context deadline exceeded
 * (Client.Timeout exceeded while awaiting headers)`. Node's error codes are
 * mapped to the syscall texts Go prints.
 */

const syscallTexts: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ECONNRESET: 'connection reset by peer',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EPIPE: 'broken pipe',
};

/** `host:port`, with IPv6 hosts in brackets (Go's `net.JoinHostPort`). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The text of a failed TCP connect to `addr`, as Go's `net.Dial` reports it. */
export function dialErrorText(err: unknown, addr: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') {
    const host = addr.slice(0, addr.lastIndexOf(':')).replace(/^\[|\]$/g, '');
    return `dial tcp: lookup ${host}: no such host`;
  }
  const text = e?.code ? syscallTexts[e.code] : undefined;
  if (text) return `dial tcp ${addr}: connect: ${text}`;
  return `dial tcp ${addr}: ${e?.message ?? String(err)}`;
}

/** The text of a connection that broke after it was established (Go's `read tcp` errors, or `EOF`). */
export function readErrorText(err: unknown, local: string | undefined, remote: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ECONNRESET' && local) return `read tcp ${local}->${remote}: read: connection reset by peer`;
  if (e?.code === 'ECONNRESET' || e?.message === 'socket hang up') return 'EOF';
  const text = e?.code ? syscallTexts[e.code] : undefined;
  return text ?? e?.message ?? String(err);
}
