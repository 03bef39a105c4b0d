import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeHeaderBlock,
  encodeData,
  encodeGoAway,
  encodeHeaderBlock,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  Flag,
  FrameType,
  parseGoAway,
  parsePing,
  parseRstStream,
  parseSettings,
  parseStreamHeaders,
  parseSynStream,
  parseWindowUpdate,
  RstStatus,
  SpdyFrameDecoder,
  SpdyProtocolError,
  type SpdyFrame,
} from './spdy-frames.ts';

function one(wire: Buffer): SpdyFrame {
  const frames = new SpdyFrameDecoder().push(wire);
  assert.equal(frames.length, 1);
  return frames[0];
}

test('encodeData writes the stream id, the FIN flag and the 24-bit length', () => {
  const wire = encodeData(5, Buffer.from('hi'), true);
  assert.deepEqual([...wire], [0, 0, 0, 5, 0x01, 0, 0, 2, 0x68, 0x69]);
  const f = one(wire);
  assert.equal(f.control, false);
  if (f.control) return;
  assert.equal(f.streamId, 5);
  assert.equal(f.flags & Flag.fin, Flag.fin);
  assert.equal(f.data.toString(), 'hi');
});

test('control frames carry version 3 and the type; SYN_STREAM round-trips id, priority and flags', () => {
  const wire = encodeSynStream(7, Buffer.from('BLOCK'), { priority: 3, fin: true, associatedTo: 1 });
  assert.deepEqual([...wire.subarray(0, 4)], [0x80, 0x03, 0x00, 0x01]);
  const f = one(wire);
  assert.ok(f.control);
  if (!f.control) return;
  assert.equal(f.version, 3);
  assert.equal(f.type, FrameType.synStream);
  assert.equal(f.flags, Flag.fin);
  const s = parseSynStream(f.body);
  assert.deepEqual({ ...s, headerBlock: s.headerBlock.toString() }, { streamId: 7, associatedTo: 1, priority: 3, slot: 0, headerBlock: 'BLOCK' });
});

/** The body of the one control frame in `wire`, after checking its type and flags. */
function control(wire: Buffer, type: number, flags = 0): Buffer {
  const f = one(wire);
  assert.ok(f.control, 'a control frame');
  if (!f.control) throw new Error('unreachable');
  assert.equal(f.type, type);
  assert.equal(f.flags, flags);
  return f.body;
}

test('SYN_REPLY, RST_STREAM, PING, GOAWAY, WINDOW_UPDATE and SETTINGS round-trip', () => {
  assert.equal(parseStreamHeaders(control(encodeSynReply(3, Buffer.from('hb'), true), FrameType.synReply, Flag.fin)).streamId, 3);
  assert.deepEqual(parseRstStream(control(encodeRstStream(9, RstStatus.cancel), FrameType.rstStream)), { streamId: 9, status: 5 });
  assert.deepEqual(parsePing(control(encodePing(42), FrameType.ping)), { id: 42 });
  assert.deepEqual(parseGoAway(control(encodeGoAway(11, 2), FrameType.goAway)), { lastGoodStreamId: 11, status: 2 });
  assert.deepEqual(parseWindowUpdate(control(encodeWindowUpdate(1, 65536), FrameType.windowUpdate)), { streamId: 1, delta: 65536 });
  assert.deepEqual(parseSettings(control(encodeSettings([{ id: 7, value: 65536, flags: 1 }]), FrameType.settings)), [{ id: 7, value: 65536, flags: 1 }]);
});

test('SpdyFrameDecoder assembles frames split at every byte and keeps their order', () => {
  const wire = Buffer.concat([encodePing(2), encodeData(1, Buffer.alloc(70_000, 1)), encodeData(3, Buffer.alloc(0), true), encodeGoAway(0)]);
  const d = new SpdyFrameDecoder();
  const frames: SpdyFrame[] = [];
  for (let i = 0; i < wire.length; i += 997) frames.push(...d.push(wire.subarray(i, i + 997)));
  assert.deepEqual(
    frames.map((f) => (f.control ? `c${f.type}` : `d${f.streamId}:${f.data.length}:${f.flags}`)),
    ['c6', 'd1:70000:0', 'd3:0:1', 'c7'],
  );
});

test('SpdyFrameDecoder waits for a frame’s whole body', () => {
  const d = new SpdyFrameDecoder();
  const wire = encodeData(1, Buffer.from('abcdef'));
  assert.deepEqual(d.push(wire.subarray(0, 9)), []);
  assert.equal(d.push(wire.subarray(9)).length, 1);
});

test('header blocks are lowercase name/value pairs with 32-bit lengths; repeated values join with NUL', () => {
  const block = encodeHeaderBlock({ StreamType: 'error', 'x-multi': ['a', 'b'] });
  assert.deepEqual([...block.subarray(0, 8)], [0, 0, 0, 2, 0, 0, 0, 10]);
  assert.equal(block.subarray(8, 18).toString(), 'streamtype');
  assert.deepEqual([...decodeHeaderBlock(block).entries()], [
    ['streamtype', ['error']],
    ['x-multi', ['a', 'b']],
  ]);
});

test('decodeHeaderBlock rejects uppercase names, duplicates and truncation', () => {
  const raw = (pairs: [string, string][]) => {
    const parts: Buffer[] = [Buffer.from([0, 0, 0, pairs.length])];
    for (const [n, v] of pairs) {
      for (const s of [n, v]) {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(s.length);
        parts.push(len, Buffer.from(s));
      }
    }
    return Buffer.concat(parts);
  };
  assert.throws(() => decodeHeaderBlock(raw([['Port', '80']])), /not lowercased/);
  assert.throws(() => decodeHeaderBlock(raw([['port', '80'], ['port', '81']])), /multiple headers/);
  assert.throws(() => decodeHeaderBlock(raw([['port', '80']]).subarray(0, 12)), SpdyProtocolError);
});

test('parsers reject short frames', () => {
  assert.throws(() => parseRstStream(Buffer.alloc(4)), /RST_STREAM frame too short/);
  assert.throws(() => parseSynStream(Buffer.alloc(10)), /stream id 0/);
});
