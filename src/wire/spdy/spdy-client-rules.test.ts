import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeGoAway,
  encodeHeaderBlock,
  encodeHeaders,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  SpdyProtocolError,
} from './spdy-frames.ts';
import { checkClientControlFrame, checkClientDataHead, checkHeaderBlock, forbiddenRequestHeaders } from './spdy-client-rules.ts';

/** The control frame in `wire` as the reader hands it over. */
function frame(wire: Buffer) {
  return { version: wire.readUInt16BE(0) & 0x7fff, type: wire.readUInt16BE(2), flags: wire[4], body: wire.subarray(8) };
}

/** A control frame with any header fields, for frames no encoder would write. */
function raw(type: number, flags: number, body: number[] | Buffer, version = 3): Buffer {
  const b = Buffer.from(body);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | version, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags << 24) | b.length) >>> 0, 4);
  return Buffer.concat([head, b]);
}

test('checkClientControlFrame parses the frames kubectl sends', () => {
  assert.deepEqual(checkClientControlFrame(frame(encodeSynStream(3, Buffer.from('zz'), { priority: 2, fin: true }))), {
    type: 'syn-stream',
    streamId: 3,
    associatedTo: 0,
    priority: 2,
    fin: true,
    unidirectional: false,
    headerBlock: Buffer.from('zz'),
  });
  assert.deepEqual(checkClientControlFrame(frame(encodeRstStream(5, 5))), { type: 'rst-stream', streamId: 5, status: 5 });
  assert.deepEqual(checkClientControlFrame(frame(encodePing(1))), { type: 'ping', id: 1 });
  assert.deepEqual(checkClientControlFrame(frame(encodeGoAway(0, 0))), { type: 'go-away', lastGoodStreamId: 0, status: 0 });
  assert.deepEqual(checkClientControlFrame(frame(encodeWindowUpdate(0, 65536))), { type: 'window-update', streamId: 0, delta: 65536 });
  assert.deepEqual(checkClientControlFrame(frame(encodeSettings([{ id: 7, value: 1 }], true))), {
    type: 'settings',
    clear: true,
    entries: [{ flags: 0, id: 7, value: 1 }],
  });
  assert.deepEqual(checkClientControlFrame(frame(encodeHeaders(1, Buffer.from('h'), true))), { type: 'headers', streamId: 1, fin: true, headerBlock: Buffer.from('h') });
});

const malformed: { name: string; wire: Buffer; why: RegExp }[] = [
  { name: 'SETTINGS claiming 2³²−1 entries in 4 bytes', wire: raw(4, 0, [0xff, 0xff, 0xff, 0xff]), why: /SETTINGS claims 4294967295 entries in 4 bytes/ },
  { name: 'SETTINGS with fewer bytes than its entries', wire: raw(4, 0, [0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 1]), why: /claims 2 entries in 12 bytes/ },
  { name: 'SETTINGS with bytes after its entries', wire: raw(4, 0, [0, 0, 0, 0, 1, 2]), why: /claims 0 entries in 6 bytes/ },
  { name: 'SETTINGS without an entry count', wire: raw(4, 0, [0, 0]), why: /SETTINGS of 2 bytes has no entry count/ },
  { name: 'SETTINGS with an undefined flag', wire: raw(4, 2, [0, 0, 0, 0]), why: /SETTINGS with flags 0x2/ },
  { name: 'SPDY version 2', wire: raw(6, 0, [0, 0, 0, 1], 2), why: /SPDY version 2, not 3/ },
  { name: 'an unknown type (CREDENTIAL)', wire: raw(10, 0, [0, 0]), why: /unknown control frame type 10/ },
  { name: 'type 0', wire: raw(0, 0, []), why: /unknown control frame type 0/ },
  { name: 'SYN_REPLY', wire: encodeSynReply(2, Buffer.from('x')), why: /SYN_REPLY from the client/ },
  { name: 'SYN_STREAM without a header block', wire: raw(1, 0, Buffer.alloc(10)), why: /has no header block/ },
  { name: 'a truncated SYN_STREAM', wire: raw(1, 0, [0, 0, 0, 1]), why: /SYN_STREAM of 4 bytes has no header block/ },
  { name: 'SYN_STREAM on stream 0', wire: encodeSynStream(0, Buffer.from('x')), why: /SYN_STREAM with stream id 0/ },
  { name: 'SYN_STREAM with an undefined flag', wire: raw(1, 4, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]), why: /SYN_STREAM with flags 0x4/ },
  { name: 'HEADERS without a header block', wire: raw(8, 0, [0, 0, 0, 1]), why: /HEADERS of 4 bytes has no header block/ },
  { name: 'HEADERS on stream 0', wire: raw(8, 0, [0, 0, 0, 0, 1]), why: /HEADERS with stream id 0/ },
  { name: 'a truncated RST_STREAM', wire: raw(3, 0, [0, 0, 0, 1]), why: /RST_STREAM of 4 bytes, not 8/ },
  { name: 'RST_STREAM with status 0', wire: raw(3, 0, [0, 0, 0, 1, 0, 0, 0, 0]), why: /RST_STREAM with status 0/ },
  { name: 'RST_STREAM on stream 0', wire: raw(3, 0, [0, 0, 0, 0, 0, 0, 0, 5]), why: /RST_STREAM with stream id 0/ },
  { name: 'a truncated PING', wire: raw(6, 0, [0, 1]), why: /PING of 2 bytes, not 4/ },
  { name: 'a PING with flags', wire: raw(6, 1, [0, 0, 0, 1]), why: /PING with flags 0x1/ },
  { name: 'PING id 0', wire: raw(6, 0, [0, 0, 0, 0]), why: /PING with id 0/ },
  { name: 'a GOAWAY without status', wire: raw(7, 0, [0, 0, 0, 0]), why: /GOAWAY of 4 bytes, not 8/ },
  { name: 'a GOAWAY with an unknown status', wire: raw(7, 0, [0, 0, 0, 0, 0, 0, 0, 9]), why: /GOAWAY with status 9/ },
  { name: 'a long WINDOW_UPDATE', wire: raw(9, 0, Buffer.alloc(12)), why: /WINDOW_UPDATE of 12 bytes, not 8/ },
  { name: 'WINDOW_UPDATE with delta 0', wire: raw(9, 0, [0, 0, 0, 1, 0, 0, 0, 0]), why: /WINDOW_UPDATE with delta 0/ },
];

for (const m of malformed) {
  test(`checkClientControlFrame rejects ${m.name}`, () => {
    assert.throws(() => checkClientControlFrame(frame(m.wire)), (err: unknown) => err instanceof SpdyProtocolError && m.why.test(err.message));
  });
}

test('checkClientDataHead rejects stream 0 and flags other than FIN', () => {
  checkClientDataHead({ streamId: 1, flags: 1, length: 5 });
  assert.throws(() => checkClientDataHead({ streamId: 0, flags: 0, length: 1 }), /DATA frame on stream 0/);
  assert.throws(() => checkClientDataHead({ streamId: 1, flags: 2, length: 1 }), /DATA frame with flags 0x2/);
});

/** A name/value block from raw fields, lengths as given (so they can lie). */
function block(count: number, fields: (string | { len: number; bytes?: string })[]): Buffer {
  const parts = [Buffer.alloc(4)];
  parts[0].writeUInt32BE(count >>> 0);
  for (const f of fields) {
    const len = Buffer.alloc(4);
    const bytes = Buffer.from(typeof f === 'string' ? f : (f.bytes ?? ''), 'latin1');
    len.writeUInt32BE((typeof f === 'string' ? bytes.length : f.len) >>> 0);
    parts.push(len, bytes);
  }
  return Buffer.concat(parts);
}

test('checkHeaderBlock accepts what kubectl sends, repeated values included', () => {
  checkHeaderBlock(encodeHeaderBlock({ streamtype: 'data', port: '8080', requestid: '0' }), { maxHeaders: 100 }, forbiddenRequestHeaders);
  checkHeaderBlock(encodeHeaderBlock({ 'x-multi': ['a', 'b'], empty: '' }), { maxHeaders: 100 }, forbiddenRequestHeaders);
});

const badBlocks: { name: string; block: Buffer; why: RegExp }[] = [
  { name: 'a count of 2³²−1', block: block(0xffffffff, []), why: /4294967295 headers, more than 100/ },
  { name: 'more headers than it holds', block: block(2, ['a', 'b']), why: /name length past the end/ },
  { name: 'a name length of 2³²−1', block: block(1, [{ len: 0xffffffff, bytes: 'abc' }]), why: /name of 4294967295 bytes past the end/ },
  { name: 'a value longer than the block', block: block(1, ['a', { len: 100, bytes: 'xy' }]), why: /value of 100 bytes past the end/ },
  { name: 'fewer than 4 bytes', block: Buffer.from([0, 0]), why: /2 bytes/ },
  { name: 'an empty name', block: block(1, ['', 'v']), why: /an empty name/ },
  { name: 'an uppercase name', block: block(1, ['StreamType', 'error']), why: /"StreamType" is not lowercase printable ASCII/ },
  { name: 'a name with a control byte', block: block(1, ['a\nb', 'v']), why: /not lowercase printable ASCII/ },
  { name: 'a repeated name', block: block(2, ['port', '80', 'port', '81']), why: /header "port" repeated/ },
  { name: 'a forbidden name', block: block(1, ['connection', 'close']), why: /header "connection" is not allowed/ },
  { name: 'an empty value between NULs', block: block(1, ['a', 'x\0\0y']), why: /header "a" has an empty value/ },
  { name: 'a value ending in NUL', block: block(1, ['a', 'x\0']), why: /has an empty value/ },
  { name: 'bytes after the last header', block: Buffer.concat([block(1, ['a', 'b']), Buffer.from([0, 0, 0, 1])]), why: /4 bytes after the last header/ },
];

for (const b of badBlocks) {
  test(`checkHeaderBlock rejects ${b.name}`, () => {
    assert.throws(() => checkHeaderBlock(b.block, { maxHeaders: 100 }, forbiddenRequestHeaders), (err: unknown) => err instanceof SpdyProtocolError && b.why.test(err.message));
  });
}
