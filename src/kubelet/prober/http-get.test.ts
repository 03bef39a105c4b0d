import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { doHttpGet, httpGetRequest, maxBodyBytes } from './http-get.ts';

test('doHttpGet stops reading an endless body after 10 KiB and closes the connection', async (t) => {
  let closed: () => void = () => {};
  const connectionClosed = new Promise<void>((r) => (closed = r));
  let sent = 0;
  const server = createServer((req, res) => {
    res.writeHead(200);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    req.socket.on('close', closed);
    pump();
  });
  t.after(() => server.close());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const started = Date.now();
  const res = await doHttpGet(httpGetRequest({ port, path: '/' }, undefined, '127.0.0.1', 'probe'), 5000);
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, 'x'.repeat(maxBodyBytes));
  assert.ok(Date.now() - started < 2000, 'answered without waiting for the timeout');
  await connectionClosed;
  assert.ok(sent < 64 * 1024 * 1024, `the server got to send ${sent} bytes`);
});
