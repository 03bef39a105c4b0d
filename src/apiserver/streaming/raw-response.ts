/**
 * Answers on a raw socket (an upgrade request that will not be upgraded):
 * failures as a Kubernetes Status through status.ts's mapping, or, for a
 * refusal from the node, its plain text as the kubelet sends it. The
 * connection closes afterwards.
 */
import type { Duplex } from 'node:stream';
import { nodeHttp } from '../../wire/node-http.ts';
import { NodeStreamError } from '../node-streams.ts';
import { toApiError } from '../status.ts';

export function writeResponse(socket: Duplex, code: number, contentType: string, body: string): void {
  if (socket.destroyed || !socket.writable) return;
  const text = Buffer.from(body);
  socket.write(
    `HTTP/1.1 ${code} ${nodeHttp.STATUS_CODES[code] ?? 'Error'}\r\n` +
      `Content-Type: ${contentType}\r\nCache-Control: no-cache, private\r\n` +
      `Content-Length: ${text.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.end(text);
}

/** The streaming server's refusal of an upgrade, passed back to the client as it came (status, type, body). */
export function writeRefusal(socket: Duplex, refused: { status: number; headers: Map<string, string[]>; body: Buffer }): void {
  const type = refused.headers.get('content-type')?.[0] ?? 'text/plain; charset=utf-8';
  writeResponse(socket, refused.status, type, refused.body.toString('utf8'));
}

/** A NodeStreamError as the kubelet's text; anything else as a Status (500s are logged). */
export function writeError(socket: Duplex, err: unknown, log: (msg: string) => void): void {
  if (err instanceof NodeStreamError) {
    writeResponse(socket, err.httpStatus, 'text/plain; charset=utf-8', `${err.message}\n`);
    return;
  }
  const apiErr = toApiError(err);
  if (apiErr.code >= 500) log(`streaming: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  writeResponse(socket, apiErr.code, 'application/json', JSON.stringify(apiErr.toStatus()));
}
