import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, deflateSync } from 'node:zlib';
import { SpdyClientFilter } from './spdy-client-filter.ts';
import type { SpdyLimits } from './spdy-client-rules.ts';
import { spdyDictionary } from './spdy-dictionary.ts';
import {
  encodeData,
  encodeGoAway,
  encodeHeaderBlock,
  encodeHeaders,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynStream,
  encodeWindowUpdate,
  FrameType,
  parseSettings,
  parseStreamHeaders,
  parseSynStream,
  SpdyFrameDecoder,
  type SpdyFrame,
} from './spdy-frames.ts';
import { HeaderCompressor, HeaderDecompressor } from './spdy-header-codec.ts';

/** A filter whose upstream is a buffer, plus the client's own header compressor. */
function setup(limits: Partial<SpdyLimits> = {}) {
  const forwarded: Buffer[] = [];
  const violations: string[] = [];
  const flow: string[] = [];
  let accept = true;
  const filter = new SpdyClientFilter({
    write: (b) => {
      forwarded.push(Buffer.from(b));
      return accept;
    },
    onViolation: (reason) => violations.push(reason),
    pause: () => flow.push('pause'),
    resume: () => flow.push('resume'),
    limits,
  });
  const client = new HeaderCompressor();
  return {
    filter,
    forwarded,
    violations,
    flow,
    set accept(v: boolean) {
      accept = v;
    },
    bytes: () => Buffer.concat(forwarded).length,
    idle: () => new Promise<void>((r) => filter.whenIdle(r)),
    syn: async (id: number, headers: Record<string, string> = { streamtype: 'stdin' }, fin = false) => encodeSynStream(id, await client.compress(headers), { fin }),
    close() {
      filter.close();
      client.close();
    },
  };
}

type Setup = ReturnType<typeof setup>;

/** What containerd would read: the forwarded frames, header blocks inflated with one context. */
async function upstreamView(s: Setup): Promise<string[]> {
  const frames = new SpdyFrameDecoder().push(Buffer.concat(s.forwarded));
  const inflater = new HeaderDecompressor();
  const out: string[] = [];
  const headers = async (block: Buffer) => JSON.stringify(Object.fromEntries([...(await inflater.decompress(block))].map(([k, v]) => [k, v.join(',')])));
  for (const f of frames as SpdyFrame[]) {
    if (!f.control) out.push(`DATA ${f.streamId} ${JSON.stringify(f.data.toString())}${f.flags ? ' FIN' : ''}`);
    else if (f.type === FrameType.synStream) {
      const p = parseSynStream(f.body);
      out.push(`SYN_STREAM ${p.streamId} ${await headers(p.headerBlock)}${f.flags ? ' FIN' : ''}`);
    } else if (f.type === FrameType.headers) {
      const p = parseStreamHeaders(f.body);
      out.push(`HEADERS ${p.streamId} ${await headers(p.headerBlock)}`);
    } else if (f.type === FrameType.settings) out.push(`SETTINGS ${JSON.stringify(parseSettings(f.body))}`);
    else out.push(`control ${f.type} ${f.body.toString('hex')}`);
  }
  inflater.close();
  return out;
}

/** Pushes `wire` and checks the filter refused it with `why`, forwarding nothing beyond what it had before. */
async function assertRefused(s: Setup, wire: Buffer, why: RegExp): Promise<void> {
  await s.idle();
  const before = s.bytes();
  s.filter.push(wire);
  await s.idle();
  assert.equal(s.violations.length, 1, `one violation, got ${JSON.stringify(s.violations)}`);
  assert.match(s.violations[0], why);
  assert.equal(s.bytes(), before, 'nothing of the frame was forwarded');
  // A refused session forwards nothing more, even valid frames.
  s.filter.push(encodePing(1));
  await s.idle();
  assert.equal(s.bytes(), before);
  assert.equal(s.violations.length, 1);
  s.close();
}

test('SpdyClientFilter forwards a session re-framed, header blocks re-compressed in its own context, however it is chunked', async () => {
  const s = setup();
  const wire = Buffer.concat([
    await s.syn(1, { streamtype: 'error' }),
    await s.syn(3, { streamtype: 'stdin' }),
    encodeSettings([{ id: 7, value: 65536 }]),
    encodeData(3, Buffer.from('hello')),
    encodePing(1),
    encodeHeaders(3, await (async () => {
      // The client's next block continues its compression history.
      return (await s.syn(5, { 'x-extra': 'y' })).subarray(18);
    })()),
    encodeData(3, Buffer.alloc(0), true),
    encodeWindowUpdate(1, 100),
    encodeRstStream(1, 5),
    encodeGoAway(0),
  ]);
  for (let i = 0; i < wire.length; i += 5) s.filter.push(wire.subarray(i, i + 5));
  await s.idle();
  assert.deepEqual(s.violations, []);
  assert.deepEqual(await upstreamView(s), [
    'SYN_STREAM 1 {"streamtype":"error"}',
    'SYN_STREAM 3 {"streamtype":"stdin"}',
    'SETTINGS [{"flags":0,"id":7,"value":65536}]',
    'DATA 3 "hello"',
    'control 6 00000001',
    'HEADERS 3 {"x-extra":"y"}',
    'DATA 3 "" FIN',
    'control 9 0000000100000064',
    'control 3 0000000100000005',
    'control 7 0000000000000000',
  ]);
  s.close();
});

test('SpdyClientFilter closes the session and forwards nothing when SETTINGS claims 2³²−1 entries', async () => {
  const s = setup();
  await assertRefused(s, Buffer.from([0x80, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff]), /SETTINGS claims 4294967295 entries in 4 bytes/);
});

test('SpdyClientFilter closes the session when a frame is shorter than its type needs', async () => {
  const s = setup();
  s.filter.push(await s.syn(1));
  await assertRefused(s, Buffer.from([0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01]), /RST_STREAM of 4 bytes, not 8/);
});

test('SpdyClientFilter holds a truncated frame without forwarding any of it', async () => {
  const s = setup();
  const syn = await s.syn(1);
  s.filter.push(syn.subarray(0, syn.length - 1));
  await s.idle();
  assert.deepEqual([s.bytes(), s.violations], [0, []]);
  assert.equal(s.filter.backlog, syn.length - 1);
  s.close();
});

test('SpdyClientFilter refuses a control frame with a huge length from its 8-byte head', async () => {
  const s = setup();
  await assertRefused(s, Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff]), /control frame of 16777215 bytes exceeds the limit of 65536/);
});

test('SpdyClientFilter streams a 16 MiB DATA frame through without collecting it', async () => {
  const s = setup();
  s.filter.push(await s.syn(1));
  await s.idle();
  const before = s.forwarded.length;
  const head = encodeData(1, Buffer.alloc(0));
  head.writeUInt32BE(0xffffff, 4);
  s.filter.push(head);
  const chunk = Buffer.alloc(64 * 1024, 1);
  let sent = 0;
  while (sent < 0xffffff) {
    const piece = chunk.subarray(0, Math.min(chunk.length, 0xffffff - sent));
    s.filter.push(piece);
    sent += piece.length;
    assert.ok(s.filter.backlog <= 64 * 1024, `backlog ${s.filter.backlog}`);
  }
  s.filter.push(encodePing(1));
  await s.idle();
  assert.deepEqual(s.violations, []);
  assert.deepEqual([...s.forwarded[before]], [...head], 'the head, re-encoded');
  assert.equal(s.forwarded.slice(before + 1).reduce((n, b) => n + b.length, 0), 0xffffff + 12);
  s.close();
});

test('SpdyClientFilter refuses header blocks that are not one well-formed, bounded block', async () => {
  const bomb = deflateSync(Buffer.concat([encodeHeaderBlock({ a: 'b' }), Buffer.alloc(20 * 1024 * 1024)]), { dictionary: spdyDictionary, finishFlush: constants.Z_SYNC_FLUSH });
  assert.ok(bomb.length < 64 * 1024, `the bomb is ${bomb.length} bytes compressed`);
  const cases: { name: string; block: () => Promise<Buffer> | Buffer; why: RegExp }[] = [
    { name: 'a zlib bomb', block: () => bomb, why: /inflates to more than 65536 bytes/ },
    { name: 'not zlib', block: () => Buffer.from('not compressed at all'), why: /incorrect header check|invalid/i },
    { name: 'another dictionary', block: () => deflateSync(encodeHeaderBlock({ a: 'b' }), { dictionary: Buffer.from('not spdy'), finishFlush: constants.Z_SYNC_FLUSH }), why: /dictionary/i },
    { name: 'a huge header count', block: () => new HeaderCompressor().compressBlock(Buffer.from([0xff, 0xff, 0xff, 0xff])), why: /4294967295 headers/ },
    { name: 'a huge name length', block: () => new HeaderCompressor().compressBlock(Buffer.from([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x61])), why: /name of 4294967295 bytes past the end/ },
    { name: 'an uppercase name', block: () => new HeaderCompressor().compressBlock(Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 0x41, 0, 0, 0, 0])), why: /"A" is not lowercase/ },
    { name: 'a forbidden name', block: () => new HeaderCompressor().compress({ host: 'x' }), why: /header "host" is not allowed/ },
  ];
  for (const c of cases) {
    const s = setup();
    await assertRefused(s, encodeSynStream(1, await c.block()), c.why).catch((err: Error) => {
      throw new Error(`${c.name}: ${err.message}`);
    });
  }
});

test('SpdyClientFilter refuses frames on streams the client has not opened or already closed', async () => {
  const cases: { name: string; before: (s: Setup) => Promise<Buffer[]>; frame: (s: Setup) => Promise<Buffer> | Buffer; why: RegExp }[] = [
    { name: 'DATA before any SYN_STREAM', before: async () => [], frame: () => encodeData(1, Buffer.from('x')), why: /DATA frame on stream 1, which is not open/ },
    { name: 'DATA on an unknown stream', before: async (s) => [await s.syn(1)], frame: () => encodeData(3, Buffer.from('x')), why: /stream 3, which is not open/ },
    { name: 'DATA after the client’s FIN', before: async (s) => [await s.syn(1), encodeData(1, Buffer.from('x'), true)], frame: () => encodeData(1, Buffer.from('y')), why: /stream 1, which is not open/ },
    { name: 'DATA after the client’s RST_STREAM', before: async (s) => [await s.syn(1), encodeRstStream(1, 5)], frame: () => encodeData(1, Buffer.from('y')), why: /stream 1, which is not open/ },
    { name: 'DATA on stream 0', before: async () => [], frame: () => encodeData(0, Buffer.from('x')), why: /DATA frame on stream 0/ },
    { name: 'HEADERS on an unknown stream', before: async () => [], frame: (s) => s.syn(1).then(() => encodeHeaders(1, Buffer.from([1]))), why: /HEADERS on stream 1, which is not open/ },
    { name: 'RST_STREAM for a stream never opened', before: async (s) => [await s.syn(1)], frame: () => encodeRstStream(3, 5), why: /RST_STREAM for stream 3, which the client never opened/ },
    { name: 'WINDOW_UPDATE for a stream never opened', before: async () => [], frame: () => encodeWindowUpdate(1, 1), why: /WINDOW_UPDATE for stream 1/ },
    { name: 'an even (server) stream id', before: async () => [], frame: (s) => s.syn(2), why: /even stream id 2/ },
    { name: 'a stream id that goes back', before: async (s) => [await s.syn(5)], frame: (s) => s.syn(3), why: /SYN_STREAM 3 does not follow stream 5/ },
    { name: 'a reused stream id', before: async (s) => [await s.syn(1)], frame: (s) => s.syn(1), why: /SYN_STREAM 1 does not follow stream 1/ },
    { name: 'a new stream after GOAWAY', before: async () => [encodeGoAway(0)], frame: (s) => s.syn(1), why: /after the client's GOAWAY/ },
    { name: 'an associated stream', before: async () => [], frame: async (s) => {
      const f = await s.syn(1);
      f.writeUInt32BE(1, 12);
      return f;
    }, why: /associated to stream 1/ },
  ];
  for (const c of cases) {
    const s = setup();
    for (const b of await c.before(s)) s.filter.push(b);
    await assertRefused(s, await c.frame(s), c.why).catch((err: Error) => {
      throw new Error(`${c.name}: ${err.message}`);
    });
  }
});

test('SpdyClientFilter refuses more open streams than its limit, counting only streams the client keeps open', async () => {
  const s = setup({ maxOpenStreams: 2 });
  s.filter.push(await s.syn(1));
  s.filter.push(await s.syn(3, { streamtype: 'data' }, true));
  s.filter.push(await s.syn(5));
  s.filter.push(encodeData(5, Buffer.alloc(0), true));
  s.filter.push(await s.syn(7));
  await assertRefused(s, await s.syn(9), /more than 2 open streams/);
});

test('SpdyClientFilter pauses its source while upstream is full or its backlog is, and resumes after', async () => {
  const s = setup({ maxBacklogBytes: 100 });
  s.filter.push(await s.syn(1));
  await s.idle();
  s.accept = false;
  s.filter.push(encodeData(1, Buffer.from('x')));
  assert.deepEqual(s.flow, ['pause']);
  s.accept = true;
  s.filter.drained();
  assert.deepEqual(s.flow, ['pause', 'resume']);
  // A header block makes the queue wait for zlib: data behind it counts as backlog.
  s.filter.push(Buffer.concat([await s.syn(3), encodeData(1, Buffer.alloc(200))]));
  assert.deepEqual(s.flow, ['pause', 'resume', 'pause']);
  await s.idle();
  assert.deepEqual(s.flow, ['pause', 'resume', 'pause', 'resume']);
  assert.deepEqual(s.violations, []);
  s.close();
});
