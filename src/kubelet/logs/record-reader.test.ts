import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord } from './cri-log.ts';
import { maxLineBytes, RecordReader } from './record-reader.ts';

const line = (content: string) => `2026-01-01T00:00:00.000000000Z stdout F ${content}\n`;

async function readerOn(t: { after(fn: () => Promise<void> | void): void }, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-records-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  writeFileSync(path, text);
  const fh = await open(path, 'r');
  t.after(() => fh.close());
  return { path, reader: new RecordReader(fh, 0) };
}

async function drain(reader: RecordReader, end: number): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (let rs = await reader.next(end); rs; rs = await reader.next(end)) out.push(...rs);
  return out;
}

test('RecordReader returns every record when lines straddle its chunks', async (t) => {
  const contents = Array.from({ length: 3000 }, (_, i) => `${i} ${'y'.repeat(i % 97)}`);
  const text = contents.map(line).join('');
  const { reader } = await readerOn(t, text);
  const records = await drain(reader, Buffer.byteLength(text));
  assert.deepEqual(
    records.map((r) => r.content),
    contents,
  );
});

test('RecordReader keeps a line without its newline for a later call', async (t) => {
  const { path, reader } = await readerOn(t, `${line('one')}2026-01-01T00:00:00.000000000Z stdout F tw`);
  assert.deepEqual(
    (await drain(reader, 1e9)).map((r) => r.content),
    ['one'],
  );
  appendFileSync(path, 'o\n');
  assert.deepEqual(
    (await drain(reader, 1e9)).map((r) => r.content),
    ['two'],
  );
});

test('RecordReader skips a line longer than its limit instead of buffering it', async (t) => {
  const huge = `2026-01-01T00:00:00.000000000Z stdout F ${'z'.repeat(maxLineBytes * 3)}\n`;
  const text = line('before') + huge + line('after');
  const { reader } = await readerOn(t, text);
  assert.deepEqual(
    (await drain(reader, Buffer.byteLength(text))).map((r) => r.content),
    ['before', 'after'],
  );
});
