import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { portForwardProtocol, tunnelPortForward } from './portforward-tunnel.ts';
import { encodeData, encodeSynStream, HeaderCompressor, encodeFrame, FrameDecoder, Opcode, type WebSocketFrame } from '../../wire/wire.ts';
import { fakeSpdyServer } from '../../wire/spdy/test-spdy-server.ts';
import { socketPair } from '../../wire/test-socket-pair.ts';

/** kubectl's side of a tunnel: the 101, then the frames berth sends. */
async function tunnel(t: { after(fn: () => unknown): void }) {
  const server = await fakeSpdyServer([portForwardProtocol]);
  t.after(() => server.close());
  const pair = await socketPair();
  t.after(() => pair.close());
  const logs: string[] = [];
  const next = server.nextSession();
  let raw = Buffer.alloc(0);
  const frames: WebSocketFrame[] = [];
  const decoder = new FrameDecoder({ requireMask: false, maxPayload: 1 << 20 });
  pair.client.on('data', (d: Buffer) => {
    if (raw.indexOf('\r\n\r\n') < 0) {
      raw = Buffer.concat([raw, d]);
      const end = raw.indexOf('\r\n\r\n');
      if (end >= 0) frames.push(...decoder.push(raw.subarray(end + 4)));
      return;
    }
    frames.push(...decoder.push(d));
  });
  await tunnelPortForward({ client: pair.server, head: Buffer.alloc(0), websocketKey: randomBytes(16).toString('base64'), url: server.url('/portforward/x'), log: (m) => logs.push(m) });
  const fake = await next;
  while (raw.indexOf('\r\n\r\n') < 0) await new Promise((r) => setTimeout(r, 5));
  const send = (spdy: Buffer) => pair.client.write(encodeFrame(Opcode.binary, spdy, { mask: randomBytes(4) }));
  return { fake, frames, logs, send, client: pair.client, head: () => raw.toString('latin1') };
}

test('tunnelPortForward passes the SPDY session inside the WebSocket messages to the streaming server', async (t) => {
  const { fake, send, head } = await tunnel(t);
  assert.match(head(), /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  const c = new HeaderCompressor();
  t.after(() => c.close());
  send(encodeSynStream(1, await c.compress({ streamtype: 'data', port: '80', requestid: '0' })));
  send(encodeData(1, Buffer.from('GET / HTTP/1.0\r\n\r\n'), true));
  await fake.until(() => fake.stream('data')?.fin === true, 'the data stream’s FIN');
  assert.deepEqual(fake.stream('data')?.headers, { streamtype: 'data', port: '80', requestid: '0' });
  assert.equal(fake.text('data'), 'GET / HTTP/1.0\r\n\r\n');
});

test('tunnelPortForward closes the WebSocket with 1002 and drops the streaming server when a message carries a malformed SPDY frame', async (t) => {
  const { fake, frames, logs, send } = await tunnel(t);
  const ended = once(fake.socket, 'end');
  send(Buffer.from([0x80, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff]));
  await ended;
  while (!frames.some((f) => f.opcode === Opcode.close)) await new Promise((r) => setTimeout(r, 5));
  const close = frames.find((f) => f.opcode === Opcode.close)!;
  assert.equal(close.payload.readUInt16BE(0), 1002);
  assert.deepEqual(fake.streams, []);
  assert.match(logs.join('\n'), /closed a client's tunnel: SETTINGS claims 4294967295 entries in 4 bytes/);
});
