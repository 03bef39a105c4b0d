/**
 * Test helper: two ends of a real TCP connection on 127.0.0.1, so protocol
 * code is tested on the sockets it runs on in production. `close()` ends
 * both and the listener.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface SocketPair {
  client: Socket;
  server: Socket;
  close(): void;
}

export async function socketPair(): Promise<SocketPair> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const client = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  const server = await accepted;
  return {
    client,
    server,
    close() {
      client.destroy();
      server.destroy();
      listener.close();
    },
  };
}
