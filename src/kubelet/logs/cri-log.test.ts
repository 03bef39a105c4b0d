import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRecord, parseLogLine, type LogRecord } from './cri-log.ts';

const sample = [
  '2026-11-21T10:00:00.000000001Z stdout F first line',
  '2026-11-21T10:00:01.000000000Z stderr P part one ',
  '2026-11-21T10:00:01.500000000Z stderr F and two',
  '2026-11-21T10:00:02.000000000Z stdout F ',
  '2026-11-21T10:00:03.000000000Z stdout F last',
];

test('parseLogLine reads timestamp, stream, tag and content', () => {
  const r = parseLogLine('2026-11-21T10:00:00.123456789Z stderr F hello world');
  assert.equal(r?.stream, 'stderr');
  assert.equal(r?.full, true);
  assert.equal(r?.content, 'hello world');
  assert.equal(r?.time, '2026-11-21T10:00:00.123456789Z');
});

test('parseLogLine rejects lines that are not CRI records', () => {
  assert.equal(parseLogLine('garbage'), undefined);
  assert.equal(parseLogLine('2026-11-21T10:00:00Z stdin F x'), undefined);
});

test('partial records join into one line when formatted', () => {
  const text = sample.map((l) => formatRecord(parseLogLine(l) as LogRecord, false)).join('');
  assert.equal(text, 'first line\npart one and two\n\nlast\n');
});

test('formatRecord prefixes the runtime timestamp when asked', () => {
  assert.equal(formatRecord(parseLogLine(sample[0]) as LogRecord, true), '2026-11-21T10:00:00.000000001Z first line\n');
});
