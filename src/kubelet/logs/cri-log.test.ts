import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRecord, parseLog, parseLogLine, tailRecords } from './cri-log.ts';

const sample = [
  '2026-11-21T10:00:00.000000001Z stdout F first line',
  '2026-11-21T10:00:01.000000000Z stderr P part one ',
  '2026-11-21T10:00:01.500000000Z stderr F and two',
  '2026-11-21T10:00:02.000000000Z stdout F ',
  '2026-11-21T10:00:03.000000000Z stdout F last',
].join('\n') + '\n';

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
  const text = parseLog(sample).map((r) => formatRecord(r, false)).join('');
  assert.equal(text, 'first line\npart one and two\n\nlast\n');
});

test('tailRecords counts lines, not records', () => {
  const recs = parseLog(sample);
  assert.equal(tailRecords(recs, 3).map((r) => formatRecord(r, false)).join(''), 'part one and two\n\nlast\n');
  assert.equal(tailRecords(recs, 0).length, 0);
  assert.equal(tailRecords(recs, 99).length, recs.length);
});

test('formatRecord prefixes the runtime timestamp when asked', () => {
  const [r] = parseLog(sample);
  assert.equal(formatRecord(r, true), '2026-11-21T10:00:00.000000001Z first line\n');
});
