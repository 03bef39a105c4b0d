import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloseCode,
  closePayload,
  encodeFrame,
  FrameDecoder,
  Opcode,
  parseClosePayload,
  WebSocketProtocolError,
} from './websocket-frames.ts';

const server = () => new FrameDecoder({ requireMask: true, maxPayload: 1 << 20 });
const mask = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

test('encodeFrame masks a client frame as RFC 6455 §5.7 shows ("Hello")', () => {
  const f = encodeFrame(Opcode.text, Buffer.from('Hello'), { mask });
  assert.deepEqual([...f], [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
});

test('encodeFrame leaves a server frame unmasked', () => {
  assert.deepEqual([...encodeFrame(Opcode.text, Buffer.from('Hello'))], [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
});

test('encodeFrame does not change the caller’s payload when masking', () => {
  const payload = Buffer.from('abc');
  encodeFrame(Opcode.binary, payload, { mask });
  assert.equal(payload.toString(), 'abc');
});

test('FrameDecoder unmasks client frames of every length encoding', () => {
  for (const len of [0, 1, 125, 126, 127, 65535, 65536, 200_000]) {
    const payload = Buffer.alloc(len, 7);
    if (len) payload[0] = len & 0xff;
    const wire = encodeFrame(Opcode.binary, payload, { mask });
    if (len >= 126 && len <= 65535) assert.equal(wire[1] & 0x7f, 126);
    if (len > 65535) assert.equal(wire[1] & 0x7f, 127);
    const [f, ...rest] = server().push(wire);
    assert.equal(rest.length, 0);
    assert.equal(f.opcode, Opcode.binary);
    assert.equal(f.fin, true);
    assert.equal(f.masked, true);
    assert.ok(f.payload.equals(payload), `payload of ${len} bytes`);
  }
});

test('FrameDecoder assembles frames split at every byte boundary', () => {
  const a = encodeFrame(Opcode.binary, Buffer.from([1, 2, 3]), { mask });
  const b = encodeFrame(Opcode.binary, Buffer.alloc(300, 9), { mask, fin: false });
  const c = encodeFrame(Opcode.continuation, Buffer.from('end'), { mask });
  const wire = Buffer.concat([a, b, c]);
  const d = server();
  const frames = [];
  for (const byte of wire) frames.push(...d.push(Buffer.from([byte])));
  assert.deepEqual(
    frames.map((f) => [f.opcode, f.fin, f.payload.length]),
    [
      [Opcode.binary, true, 3],
      [Opcode.binary, false, 300],
      [Opcode.continuation, true, 3],
    ],
  );
});

test('FrameDecoder returns several frames from one chunk', () => {
  const wire = Buffer.concat([encodeFrame(Opcode.ping, Buffer.from('p'), { mask }), encodeFrame(Opcode.binary, Buffer.from('x'), { mask })]);
  assert.deepEqual(
    server().push(wire).map((f) => f.opcode),
    [Opcode.ping, Opcode.binary],
  );
});

function rejects(wire: Buffer, code: number, re: RegExp, decoder = server()): void {
  assert.throws(
    () => decoder.push(wire),
    (err: unknown) => err instanceof WebSocketProtocolError && err.closeCode === code && re.test(err.message),
  );
}

test('FrameDecoder rejects an unmasked client frame with 1002', () => {
  rejects(encodeFrame(Opcode.binary, Buffer.from('x')), CloseCode.protocolError, /masked/);
});

test('FrameDecoder rejects fragmented or oversized control frames with 1002', () => {
  rejects(encodeFrame(Opcode.ping, Buffer.from('x'), { mask, fin: false }), CloseCode.protocolError, /control frames/);
  rejects(encodeFrame(Opcode.close, Buffer.alloc(126), { mask }), CloseCode.protocolError, /control frames/);
});

test('FrameDecoder rejects reserved bits and unknown opcodes with 1002', () => {
  const rsv = encodeFrame(Opcode.binary, Buffer.from('x'), { mask });
  rsv[0] |= 0x40;
  rejects(rsv, CloseCode.protocolError, /reserved bits/);
  const op = encodeFrame(Opcode.binary, Buffer.from('x'), { mask });
  op[0] = (op[0] & 0xf0) | 0x3;
  rejects(op, CloseCode.protocolError, /unknown opcode 3/);
});

test('FrameDecoder rejects a frame above the size limit with 1009 before reading its payload', () => {
  const d = new FrameDecoder({ requireMask: true, maxPayload: 1000 });
  const wire = encodeFrame(Opcode.binary, Buffer.alloc(1001), { mask });
  rejects(wire.subarray(0, 8), CloseCode.tooBig, /exceeds the limit/, d);
});

test('FrameDecoder in the client role accepts unmasked server frames', () => {
  const d = new FrameDecoder({ requireMask: false, maxPayload: 1000 });
  const [f] = d.push(encodeFrame(Opcode.binary, Buffer.from('srv')));
  assert.equal(f.masked, false);
  assert.equal(f.payload.toString(), 'srv');
});

test('close payloads carry a code and a reason; invalid ones are protocol errors', () => {
  assert.deepEqual(parseClosePayload(closePayload(1000, 'bye')), { code: 1000, reason: 'bye' });
  assert.deepEqual(parseClosePayload(Buffer.alloc(0)), { code: CloseCode.noStatus, reason: '' });
  assert.throws(() => parseClosePayload(Buffer.from([3])), WebSocketProtocolError);
  assert.throws(() => parseClosePayload(closePayload(1005)), /invalid close code 1005/);
  assert.throws(() => parseClosePayload(closePayload(999)), /invalid close code 999/);
  assert.equal(closePayload(1000, 'x'.repeat(200)).length, 125);
});

test('FrameDecoder rejects a length not in its minimal form with 1002', () => {
  // 5 bytes in the 16-bit form, 300 in the 64-bit form (§5.2: the minimal number of bytes MUST be used).
  rejects(Buffer.from([0x82, 0xfe, 0x00, 0x05, 1, 2, 3, 4]), CloseCode.protocolError, /5-byte length in the 16-bit form/);
  rejects(Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0, 0x01, 0x2c, 1, 2, 3, 4]), CloseCode.protocolError, /300-byte length in the 64-bit form/);
});

test('FrameDecoder rejects a 64-bit length with the most significant bit set with 1009, before any payload', () => {
  rejects(Buffer.from([0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0]), CloseCode.tooBig, /9223372036854775808 bytes exceeds the limit/);
  rejects(Buffer.from([0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), CloseCode.tooBig, /exceeds the limit/);
});

test('FrameDecoder stays failed after a violation and holds nothing', () => {
  const d = server();
  rejects(encodeFrame(Opcode.binary, Buffer.from('x')), CloseCode.protocolError, /masked/, d);
  rejects(encodeFrame(Opcode.binary, Buffer.from('x'), { mask }), CloseCode.protocolError, /masked/, d);
});

test('parseClosePayload rejects a reason that is not UTF-8 with 1007', () => {
  assert.throws(
    () => parseClosePayload(Buffer.from([0x03, 0xe8, 0xff, 0xfe])),
    (err: unknown) => err instanceof WebSocketProtocolError && err.closeCode === CloseCode.invalidPayload,
  );
});
