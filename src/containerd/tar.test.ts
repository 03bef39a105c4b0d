import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTar, readTarMembers, TarError, TarErrorCode, writeTar, type TarEntry } from './tar.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-tar-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const MTIME = 1640995200;
const longDir = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
const entries: TarEntry[] = [
  { type: 'dir', path: 'bin' },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'file', path: 'bin/tool', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { type: 'file', path: 'etc/empty', data: Buffer.alloc(0) },
  { type: 'file', path: 'blob', data: Buffer.alloc(1500, 7) },
  { type: 'hardlink', path: 'bin/alias', target: 'bin/tool', mode: 0o755 },
  { type: 'symlink', path: 'link', target: '/bin/tool' },
  { type: 'file', path: `${longDir}/file-with-a-long-name.txt`, data: Buffer.from('deep') },
];

test('writeTar output lists every entry with its type, mode and mtime under GNU tar -tvf', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'a.tar');
  writeFileSync(file, writeTar(entries, { mtime: MTIME }));
  const listing = execFileSync('tar', ['--utc', '-tvf', file], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(listing.length, entries.length);
  assert.match(listing[0], /^drwxr-xr-x root\/root\s+0 2022-01-01 00:00 bin\/$/);
  assert.match(listing[1], /^drwxrwxrwt .* tmp\/$/);
  assert.match(listing[2], /^-rwxr-xr-x root\/root\s+18 2022-01-01 00:00 bin\/tool$/);
  assert.match(listing[4], /^-rw-r--r-- root\/root\s+1500 .* blob$/);
  assert.match(listing[5], /^hrwxr-xr-x .* bin\/alias link to bin\/tool$/);
  assert.match(listing[6], /^lrwxrwxrwx .* link -> \/bin\/tool$/);
  assert.ok(listing[7].endsWith(`${longDir}/file-with-a-long-name.txt`), listing[7]);
});

test('writeTar output extracts with GNU tar to the same bytes and a working hard link', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'a.tar');
  writeFileSync(file, writeTar(entries, { mtime: MTIME }));
  const out = join(dir, 'x');
  execFileSync('mkdir', [out]);
  execFileSync('tar', ['-xf', file, '-C', out]);
  assert.equal(readFileSync(join(out, 'bin/tool'), 'utf8'), '#!/bin/sh\necho hi\n');
  assert.deepEqual(readFileSync(join(out, 'blob')), Buffer.alloc(1500, 7));
  assert.equal(statSync(join(out, 'bin/alias')).ino, statSync(join(out, 'bin/tool')).ino);
  assert.equal(readFileSync(join(out, `${longDir}/file-with-a-long-name.txt`), 'utf8'), 'deep');
});

test('readTar reads back what writeTar wrote, including prefixed long paths', () => {
  const back = readTar(writeTar(entries, { mtime: MTIME }));
  assert.deepEqual(
    back.map((e) => [e.type, e.path, e.linkname, e.mode, e.mtime]),
    [
      ['dir', 'bin/', '', 0o755, MTIME],
      ['dir', 'tmp/', '', 0o1777, MTIME],
      ['file', 'bin/tool', '', 0o755, MTIME],
      ['file', 'etc/empty', '', 0o644, MTIME],
      ['file', 'blob', '', 0o644, MTIME],
      ['hardlink', 'bin/alias', 'bin/tool', 0o755, MTIME],
      ['symlink', 'link', '/bin/tool', 0o777, MTIME],
      ['file', `${longDir}/file-with-a-long-name.txt`, '', 0o644, MTIME],
    ],
  );
  assert.deepEqual(back[4].data, Buffer.alloc(1500, 7));
});

test('readTar parses an archive made by GNU tar', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'hello.txt'), 'hello\n');
  const file = join(dir, 'gnu.tar');
  execFileSync('tar', ['--format=ustar', '-cf', file, '-C', dir, 'hello.txt']);
  const [e] = readTar(readFileSync(file));
  assert.equal(e.path, 'hello.txt');
  assert.equal(e.data.toString(), 'hello\n');
});

test('writeTar is deterministic for the same entries and mtime', () => {
  assert.deepEqual(writeTar(entries, { mtime: MTIME }), writeTar(entries, { mtime: MTIME }));
  assert.notDeepEqual(writeTar(entries, { mtime: MTIME }), writeTar(entries, { mtime: MTIME + 1 }));
});

test('writeTar rejects a path that fits neither the name nor the prefix field', () => {
  assert.throws(
    () => writeTar([{ type: 'file', path: 'x'.repeat(120), data: Buffer.alloc(0) }], { mtime: 0 }),
    (err: unknown) => err instanceof TarError && err.code === TarErrorCode.PathTooLong,
  );
});

test('readTar rejects a header with a corrupted checksum', () => {
  const buf = writeTar([{ type: 'file', path: 'a', data: Buffer.from('x') }], { mtime: 0 });
  buf[0] = 'b'.charCodeAt(0);
  assert.throws(() => readTar(buf), (err: unknown) => err instanceof TarError && err.code === TarErrorCode.BadChecksum);
});

test('readTarMembers returns only the requested members and skips the rest', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'a.tar');
  writeFileSync(file, writeTar(entries, { mtime: MTIME }));
  const got = readTarMembers(file, new Set(['bin/tool', 'link-missing', `${longDir}/file-with-a-long-name.txt`]));
  assert.deepEqual([...got.keys()].sort(), ['bin/tool', `${longDir}/file-with-a-long-name.txt`]);
  assert.equal(got.get('bin/tool')?.toString(), '#!/bin/sh\necho hi\n');
});
