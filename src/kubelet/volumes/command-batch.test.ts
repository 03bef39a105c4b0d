import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchScript, CommandBatcher, CommandError, parseBatchOutput, shellQuote } from './command-batch.ts';

test('batchScript passes every argument as a positional parameter, never in the script', () => {
  const { script, params } = batchScript([['mount', '-t', 'tmpfs', 'tmpfs', '/a b/$(x)'], ['umount', "/c'd"]]);
  assert.deepEqual(params, ['mount', '-t', 'tmpfs', 'tmpfs', '/a b/$(x)', 'umount', "/c'd"]);
  assert.doesNotMatch(script, /\/a b|\$\(x\)|c'd/);
  assert.match(script, /"\$\{5\}"/);
});

test('parseBatchOutput reads each command status and stderr, and misses what did not report', () => {
  const r = parseBatchOutput('noise\n@berth-batch@ 0 0 \n@berth-batch@ 2 32 mount: /x: permission denied. \n', 3);
  assert.deepEqual(r, [{ exitCode: 0, stderr: '' }, undefined, { exitCode: 32, stderr: 'mount: /x: permission denied.' }]);
});

test('CommandBatcher runs commands asked for together in one batch, each with its own result', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-batch-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const b = new CommandBatcher();
  const results = await Promise.allSettled([
    b.run(['mkdir', join(dir, 'a b')]),
    b.run(['mkdir', join(dir, 'no/such/parent')]),
    b.run(['mkdir', join(dir, '$(touch x)')]),
  ]);
  assert.equal(results[0].status, 'fulfilled');
  assert.equal(results[1].status, 'rejected');
  const err = (results[1] as PromiseRejectedResult).reason;
  assert.ok(err instanceof CommandError);
  assert.notEqual(err.exitCode, 0);
  assert.match(err.stderr, /No such file or directory/);
  assert.equal(results[2].status, 'fulfilled');
  assert.deepEqual((await readdir(dir)).sort(), ['$(touch x)', 'a b']);
});

test('CommandBatcher rejects every command of a batch whose shell cannot run', async () => {
  const b = new CommandBatcher('/nonexistent/sh');
  await assert.rejects(b.run(['true']));
});

test('shellQuote makes any argument one literal sh word, and refuses NUL', () => {
  assert.equal(shellQuote("a'b"), `'a'\\''b'`);
  assert.equal(shellQuote('$(x) `y` "z"\n'), `'$(x) \`y\` "z"\n'`);
  assert.throws(() => shellQuote('a\0b'), /NUL/);
});

test('CommandBatcher keeps one shell across batches, and a command cannot read the script', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-batch-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const b = new CommandBatcher();
  await b.run(['sh', '-c', 'echo $PPID > "$1"', 'sh', join(dir, 'first')]);
  // `cat` would swallow the rest of the batch if it read the shell's stdin.
  await Promise.all([b.run(['cat']), b.run(['sh', '-c', 'echo $PPID > "$1"', 'sh', join(dir, 'second')])]);
  const { readFile } = await import('node:fs/promises');
  const [a, c] = await Promise.all([readFile(join(dir, 'first'), 'utf8'), readFile(join(dir, 'second'), 'utf8')]);
  assert.ok(a.trim().length > 0);
  assert.equal(a, c, 'both ran under the same shell');
});

test('CommandBatcher runs a hundred commands asked for at once, each with its result', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-batch-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const b = new CommandBatcher();
  const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => b.run(['mkdir', join(dir, i % 10 === 9 ? `missing/${i}` : `d${i}`)])));
  assert.equal(results.filter((r) => r.status === 'rejected').length, 10);
  assert.equal((await readdir(dir)).length, 90);
});
