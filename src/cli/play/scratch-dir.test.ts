import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ephemeralDataDir } from './scratch-dir.ts';

const TMPFS_MAGIC = 0x01021994;

test('ephemeralDataDir mounts a private tmpfs (mode 0700) on a fresh directory', (t) => {
  const parent = mkdtempSync(`${tmpdir()}/berth-scratch-test-`);
  const made: ReturnType<typeof ephemeralDataDir>[] = [];
  t.after(() => {
    for (const m of made) if (m.tmpfs) execFileSync('umount', [m.dir]);
    rmSync(parent, { recursive: true, force: true });
  });
  const a = ephemeralDataDir(parent);
  made.push(a);
  const b = ephemeralDataDir(parent);
  made.push(b);
  assert.notEqual(a.dir, b.dir);
  assert.ok(a.dir.startsWith(`${parent}/berth-play-`));
  // CI runs as root, where the mount must work; elsewhere the plain directory is the documented fallback.
  if (process.getuid?.() !== 0) return;
  assert.equal(a.tmpfs, true);
  assert.equal(statfsSync(a.dir).type, TMPFS_MAGIC);
  assert.equal(statSync(a.dir).mode & 0o777, 0o700);
});
