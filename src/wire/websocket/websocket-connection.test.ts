import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { WebSocketConnection } from './websocket-connection.ts';
import { closePayload, encodeFrame, FrameDecoder, Opcode, type WebSocketFrame } from './websocket-frames.ts';
import { socketPair } from '../test-socket-pair.ts';

const mask = Buffer.from([1, 2, 3, 4]);

/** Collects the raw frames a server sends to `client`. */
function serverFrames(client: Socket): { frames: WebSocketFrame[]; next(pred: (f: WebSocketFrame) => boolean): Promise<WebSocketFrame> } {
  const frames: WebSocketFrame[] = [];
  const decoder = new FrameDecoder({ requireMask: false, maxPayload: 1 << 20 });
  const waiters: (() => void)[] = [];
  client.on('data', (d: Buffer) => {
    frames.push(...decoder.push(d));
    for (const w of waiters.splice(0)) w();
  });
  return {
    frames,
    async next(pred) {
      for (;;) {
        const hit = frames.find(pred);
        if (hit) return hit;
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

async function setup(t: { after(fn: () => void): void }) {
  const pair = await socketPair();
  t.after(() => pair.close());
  const messages: { data: Buffer; binary: boolean }[] = [];
  let closed: { code: number; reason: string } | undefined;
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closedP = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  const ws = new WebSocketConnection(pair.server, {
    onMessage: (data, binary) => messages.push({ data, binary }),
    onClose: (code, reason) => {
      closed = { code, reason };
      resolveClosed(closed);
    },
  });
  const seen = serverFrames(pair.client);
  const waitMessages = async (n: number) => {
    while (messages.length < n) await new Promise((r) => setImmediate(r));
  };
  return {
    pair,
    ws,
    messages,
    waitMessages,
    closedP,
    seen,
    get closed() {
      return closed;
    },
  };
}

test('WebSocketConnection delivers a message fragmented over several frames, with a ping in between', async (t) => {
  const s = await setup(t);
  s.pair.client.write(encodeFrame(Opcode.binary, Buffer.from('he'), { mask, fin: false }));
  s.pair.client.write(encodeFrame(Opcode.ping, Buffer.from('p1'), { mask }));
  s.pair.client.write(encodeFrame(Opcode.continuation, Buffer.from('ll'), { mask, fin: false }));
  s.pair.client.write(encodeFrame(Opcode.continuation, Buffer.from('o'), { mask }));
  await s.waitMessages(1);
  assert.equal(s.messages[0].data.toString(), 'hello');
  assert.equal(s.messages[0].binary, true);
  const pong = await s.seen.next((f) => f.opcode === Opcode.pong);
  assert.equal(pong.payload.toString(), 'p1');
});

test('WebSocketConnection sends unmasked binary messages', async (t) => {
  const s = await setup(t);
  assert.equal(s.ws.send(Buffer.from([3, 1, 2])), true);
  const f = await s.seen.next((x) => x.opcode === Opcode.binary);
  assert.equal(f.masked, false);
  assert.deepEqual([...f.payload], [3, 1, 2]);
});

test('WebSocketConnection echoes the peer’s close frame, ends the socket and reports the code once', async (t) => {
  const s = await setup(t);
  s.pair.client.write(encodeFrame(Opcode.close, closePayload(1000, 'done'), { mask }));
  const echo = await s.seen.next((f) => f.opcode === Opcode.close);
  assert.equal(echo.payload.readUInt16BE(0), 1000);
  await once(s.pair.client, 'end');
  s.pair.client.end();
  assert.deepEqual(await s.closedP, { code: 1000, reason: 'done' });
  assert.equal(s.ws.send(Buffer.from('late')), false);
});

test('WebSocketConnection close() sends a close frame, stops sending and waits for the peer', async (t) => {
  const s = await setup(t);
  s.ws.close(1000);
  s.ws.close(1000);
  const f = await s.seen.next((x) => x.opcode === Opcode.close);
  assert.equal(f.payload.readUInt16BE(0), 1000);
  assert.equal(s.seen.frames.filter((x) => x.opcode === Opcode.close).length, 1);
  assert.equal(s.ws.isOpen, false);
  assert.equal(s.ws.send(Buffer.from('x')), false);
  assert.equal(s.closed, undefined);
  s.pair.client.write(encodeFrame(Opcode.close, closePayload(1000), { mask }));
  assert.equal((await s.closedP).code, 1000);
});

test('WebSocketConnection fails the connection with 1002 on an unmasked frame', async (t) => {
  const s = await setup(t);
  s.pair.client.write(encodeFrame(Opcode.binary, Buffer.from('x')));
  const f = await s.seen.next((x) => x.opcode === Opcode.close);
  assert.equal(f.payload.readUInt16BE(0), 1002);
  assert.equal((await s.closedP).code, 1002);
  assert.equal(s.messages.length, 0);
});

test('WebSocketConnection fails with 1002 on a continuation without a message, and 1007 on invalid UTF-8 text', async (t) => {
  const a = await setup(t);
  a.pair.client.write(encodeFrame(Opcode.continuation, Buffer.from('x'), { mask }));
  assert.equal((await a.closedP).code, 1002);
  const b = await setup(t);
  b.pair.client.write(encodeFrame(Opcode.text, Buffer.from([0xff, 0xfe]), { mask }));
  assert.equal((await b.closedP).code, 1007);
});

test('WebSocketConnection reports 1006 when the socket drops without a close frame', async (t) => {
  const s = await setup(t);
  s.pair.client.destroy();
  assert.equal((await s.closedP).code, 1006);
});

test('WebSocketConnection in the client role masks what it sends', async (t) => {
  const pair = await socketPair();
  t.after(() => pair.close());
  const client = new WebSocketConnection(pair.client, { role: 'client' });
  const got = new Promise<Buffer>((resolve) => new WebSocketConnection(pair.server, { onMessage: (d) => resolve(d) }));
  client.send(Buffer.from('masked'));
  assert.equal((await got).toString(), 'masked');
});

test('WebSocketConnection drops the input that follows a protocol violation', async (t) => {
  const s = await setup(t);
  s.pair.client.write(Buffer.concat([encodeFrame(Opcode.binary, Buffer.from('unmasked')), encodeFrame(Opcode.binary, Buffer.from('later'), { mask })]));
  assert.equal((await s.closedP).code, 1002);
  assert.equal(s.messages.length, 0);
});

test('WebSocketConnection gathers a message of many empty and tiny fragments into one buffer', async (t) => {
  const s = await setup(t);
  const frames = [encodeFrame(Opcode.binary, Buffer.alloc(0), { mask, fin: false })];
  for (let i = 0; i < 20_000; i++) frames.push(encodeFrame(Opcode.continuation, i % 2 ? Buffer.from([i & 0xff]) : Buffer.alloc(0), { mask, fin: false }));
  frames.push(encodeFrame(Opcode.continuation, Buffer.from('!'), { mask }));
  s.pair.client.write(Buffer.concat(frames));
  await s.waitMessages(1);
  assert.equal(s.messages[0].data.length, 10_001);
  assert.equal(s.messages[0].data.at(-1), 0x21);
});

test('WebSocketConnection fails with 1009 when fragments add up past maxMessageBytes', async (t) => {
  const pair = await socketPair();
  t.after(() => pair.close());
  const closed = new Promise<number>((resolve) => new WebSocketConnection(pair.server, { maxMessageBytes: 1000, onClose: (code) => resolve(code) }));
  pair.client.on('data', () => {});
  for (let i = 0; i < 3; i++) pair.client.write(encodeFrame(i ? Opcode.continuation : Opcode.binary, Buffer.alloc(400), { mask, fin: false }));
  assert.equal(await closed, 1009);
});

test('WebSocketConnection stops answering pings while the peer does not read what it was sent', async (t) => {
  const s = await setup(t);
  s.pair.client.pause();
  // Enough unread output to fill the kernel buffers and queue the rest in the socket.
  while (s.pair.server.writableLength < 1024 * 1024) s.ws.send(Buffer.alloc(256 * 1024));
  for (let i = 0; i < 50; i++) s.pair.client.write(encodeFrame(Opcode.ping, Buffer.from(`p${i}`), { mask }));
  await new Promise((r) => setTimeout(r, 100));
  const queued = s.pair.server.writableLength;
  s.pair.client.resume();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(s.seen.frames.filter((f) => f.opcode === Opcode.pong).length, 0, `no pong was queued behind ${queued} bytes`);
});
