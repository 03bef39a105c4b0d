import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeData, encodePing, encodeSettings, encodeSynStream, SpdyProtocolError } from './spdy-frames.ts';
import { SpdyFrameReader, type SpdyReadEvent } from './spdy-frame-reader.ts';

function describe(events: SpdyReadEvent[]): string[] {
  const out: string[] = [];
  let payload = 0;
  for (const e of events) {
    if (e.kind === 'payload') {
      payload += e.chunk.length;
      if (e.last) {
        out.push(`payload:${payload}`);
        payload = 0;
      }
    } else if (e.kind === 'data') out.push(`data:${e.streamId}:${e.flags}:${e.length}`);
    else out.push(`control:${e.type}:${e.body.length}`);
  }
  return out;
}

test('SpdyFrameReader returns control frames whole and DATA payloads in the pieces that arrived, whatever the chunking', () => {
  const wire = Buffer.concat([
    encodeSynStream(1, Buffer.from('BLOCK')),
    encodeData(1, Buffer.alloc(70_000, 7)),
    encodeData(1, Buffer.alloc(0), true),
    encodePing(1),
  ]);
  for (const step of [1, 3, 8, 997, wire.length]) {
    const r = new SpdyFrameReader({ maxControlLength: 1024 });
    const events: SpdyReadEvent[] = [];
    for (let i = 0; i < wire.length; i += step) events.push(...r.push(wire.subarray(i, i + step)));
    assert.deepEqual(describe(events), ['control:1:15', 'data:1:0:70000', 'payload:70000', 'data:1:1:0', 'control:6:4'], `step ${step}`);
    assert.equal(r.buffered, 0);
  }
});

test('SpdyFrameReader passes DATA payload bytes as views without collecting the frame', () => {
  const r = new SpdyFrameReader({ maxControlLength: 1024 });
  const head = encodeData(5, Buffer.alloc(0));
  head.writeUInt32BE(0xffffff, 4);
  assert.deepEqual(describe(r.push(head)), ['data:5:0:16777215']);
  const chunk = Buffer.alloc(65536, 1);
  const [e] = r.push(chunk);
  assert.equal(e.kind, 'payload');
  if (e.kind !== 'payload') return;
  assert.equal(e.chunk.buffer, chunk.buffer, 'a view of the pushed chunk');
  assert.equal(e.last, false);
  assert.equal(r.buffered, 0);
});

test('SpdyFrameReader rejects a control frame above the limit from its head alone', () => {
  const r = new SpdyFrameReader({ maxControlLength: 1024 });
  const head = Buffer.from([0x80, 0x03, 0x00, 0x04, 0x00, 0xff, 0xff, 0xff]);
  assert.throws(() => r.push(head), (err: unknown) => err instanceof SpdyProtocolError && /16777215 bytes exceeds the limit of 1024/.test(err.message));
  assert.throws(() => r.push(encodePing(1)), SpdyProtocolError, 'the reader stays failed');
});

test('SpdyFrameReader holds an incomplete control frame and nothing more', () => {
  const r = new SpdyFrameReader({ maxControlLength: 1024 });
  const settings = encodeSettings([{ id: 7, value: 1 }]);
  assert.deepEqual(r.push(settings.subarray(0, 11)), []);
  assert.equal(r.buffered, 11);
  assert.deepEqual(describe(r.push(settings.subarray(11))), ['control:4:12']);
  assert.equal(r.buffered, 0);
});
