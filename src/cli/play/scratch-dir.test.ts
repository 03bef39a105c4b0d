import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ephemeralDataDir } from './scratch-dir.ts';

const TMPFS_MAGIC = 0x01021994;

test('ephemeralDataDir mounts a private tmpfs (mode 0700) on a fresh directory', (t) => {
  const parent = mkdtempSync(`${tmpdir()}/berth-scratch-test-`);
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  const a = ephemeralDataDir(parent);
  t.after(() => {
    if (a.tmpfs) execFileSync('umount', [a.dir]);
  });
  const b = ephemeralDataDir(parent);
  t.after(() => {
    if (b.tmpfs) execFileSync('umount', [b.dir]);
  });
  assert.notEqual(a.dir, b.dir);
  assert.ok(a.dir.startsWith(`${parent}/berth-play-`));
  // CI runs as root, where the mount must work; elsewhere the plain directory is the documented fallback.
  if (process.getuid?.() !== 0) return;
  assert.equal(a.tmpfs, true);
  assert.equal(statfsSync(a.dir).type, TMPFS_MAGIC);
  assert.equal(statSync(a.dir).mode & 0o777, 0o700);
});
