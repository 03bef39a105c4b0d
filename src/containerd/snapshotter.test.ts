import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseSnapshotter } from './snapshotter.ts';

test('chooseSnapshotter picks overlayfs for a data directory on an ordinary file system', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-snap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(chooseSnapshotter(dir), 'overlayfs');
});

test('chooseSnapshotter falls back to native when the data directory is on overlayfs', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-snap-'));
  const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((d) => join(dir, d));
  for (const d of [lower, upper, work, merged]) mkdirSync(d);
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged]);
  t.after(() => {
    execFileSync('umount', [merged]);
    rmSync(dir, { recursive: true, force: true });
  });
  assert.equal(chooseSnapshotter(merged), 'native');
});

test('chooseSnapshotter decides for a directory that does not exist yet by its nearest ancestor', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-snap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(chooseSnapshotter(join(dir, 'not', 'yet')), 'overlayfs');
});
