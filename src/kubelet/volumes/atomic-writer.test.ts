import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePayloadPath, versionDirPrefix, writeAtomically, type Payload } from './atomic-writer.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-aw-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });
const now = new Date(Date.UTC(2024, 4, 1, 10, 0, 0));

test('writeAtomically lays out a version directory, ..data and one symlink per top-level entry', async (t) => {
  const dir = await tempDir(t);
  const payload: Payload = new Map([
    ['game.properties', file('lives=3\n')],
    ['ui/colors', file('red\n', 0o600)],
  ]);
  assert.equal(await writeAtomically(dir, payload, { now }), true);
  const names = (await readdir(dir)).sort();
  assert.equal(names.length, 4);
  const version = names.find((n) => n.startsWith('..2024_05_01_10_00_00.'));
  assert.ok(version, `no version directory in ${names.join(', ')}`);
  assert.equal(await readlink(join(dir, '..data')), version);
  assert.equal(await readlink(join(dir, 'game.properties')), '..data/game.properties');
  assert.equal(await readlink(join(dir, 'ui')), '..data/ui');
  assert.equal(await readFile(join(dir, 'ui/colors'), 'utf8'), 'red\n');
  assert.equal((await stat(join(dir, version!, 'ui/colors'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, version!))).mode & 0o777, 0o755);
});

test('writeAtomically writes nothing when the payload is unchanged', async (t) => {
  const dir = await tempDir(t);
  const payload: Payload = new Map([['a', file('1')]]);
  await writeAtomically(dir, payload, { now });
  const before = await readlink(join(dir, '..data'));
  assert.equal(await writeAtomically(dir, new Map([['a', file('1')]]), { now }), false);
  assert.equal(await readlink(join(dir, '..data')), before);
});

test('writeAtomically swaps ..data to a new version and drops removed keys on update', async (t) => {
  const dir = await tempDir(t);
  await writeAtomically(dir, new Map([['a', file('1')], ['b', file('2')]]), { now });
  const first = await readlink(join(dir, '..data'));
  assert.equal(await writeAtomically(dir, new Map([['a', file('changed')]]), { now }), true);
  const second = await readlink(join(dir, '..data'));
  assert.notEqual(second, first);
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'changed');
  await assert.rejects(lstat(join(dir, 'b')), /ENOENT/);
  await assert.rejects(lstat(join(dir, first)), /ENOENT/);
  assert.deepEqual((await readdir(dir)).sort(), ['..data', 'a', second].sort());
});

test('writeAtomically rejects paths that escape or use the reserved .. prefix', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(writeAtomically(dir, new Map([['../x', file('')]]), { now }), /invalid path: must not contain '\.\.': \.\.\/x/);
  await assert.rejects(writeAtomically(dir, new Map([['/etc/x', file('')]]), { now }), /invalid path: must be relative path: \/etc\/x/);
  await assert.rejects(writeAtomically(dir, new Map([['..data', file('')]]), { now }), /must not start with '\.\.': \.\.data/);
  assert.deepEqual(await readdir(dir), []);
});

test('validatePayloadPath accepts nested relative paths and names the 255-byte limit', () => {
  assert.equal(validatePayloadPath('a/b/c'), undefined);
  assert.equal(validatePayloadPath('x'.repeat(256)), 'invalid path: filenames must be less than or equal to 255 characters');
  assert.equal(validatePayloadPath(''), 'invalid path: must not be empty: ""');
});

test('versionDirPrefix is the kubelet timestamp format in UTC', () => {
  assert.equal(versionDirPrefix(new Date(Date.UTC(2016, 1, 1, 15, 4, 5))), '..2016_02_01_15_04_05.');
});
