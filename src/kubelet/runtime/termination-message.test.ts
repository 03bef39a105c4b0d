import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerStatus } from '../../cri/types.ts';
import { bytesRead } from '../logs/bytes-read.ts';
import { Annotation } from './labels.ts';
import { exitedContainerMessage } from './termination-message.ts';

const MiB = 1024 * 1024;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-tmsg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function status(dir: string, extra: Partial<ContainerStatus> = {}, policy = 'File'): ContainerStatus {
  return {
    id: 'c1',
    metadata: { name: 'app', attempt: 0 },
    state: 'CONTAINER_EXITED',
    createdAt: 1,
    startedAt: 2,
    finishedAt: 3,
    exitCode: 1,
    image: 'busybox:1.35',
    imageRef: 'sha256:x',
    reason: 'Error',
    message: '',
    labels: {},
    annotations: {
      [Annotation.terminationMessagePolicy]: policy,
      [Annotation.terminationMessageHostPath]: join(dir, 'termination-log'),
    },
    logPath: join(dir, '0.log'),
    ...extra,
  };
}

/** A sparse file of `size` bytes that ends with `tail`. */
async function sparseFile(path: string, size: number, tail: string): Promise<void> {
  writeFileSync(path, 'the start\n');
  await truncate(path, size - tail.length);
  const fh = await open(path, 'a');
  await fh.write(tail);
  await fh.close();
}

const logLine = (i: number, stream = 'stdout', tag = 'F') => `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000000000Z ${stream} ${tag} line ${i}\n`;

test('termination message is the last 4096 bytes of a 50 MB file, read without reading the file', async (t) => {
  const dir = tempDir(t);
  const s = status(dir);
  await sparseFile(s.annotations[Annotation.terminationMessageHostPath], 50 * MiB, 'final words');
  const before = bytesRead();
  const msg = await exitedContainerMessage(s);
  const read = bytesRead() - before;
  assert.equal(Buffer.byteLength(msg), 4096);
  assert.ok(msg.endsWith('final words'), 'the kubelet keeps the end of the file (tail.ReadAtMost)');
  assert.ok(read < MiB, `read ${read} bytes`);
});

test('termination message is the whole file when it is short', async (t) => {
  const dir = tempDir(t);
  const s = status(dir);
  writeFileSync(s.annotations[Annotation.terminationMessageHostPath], 'Sleep expired\n');
  assert.equal(await exitedContainerMessage(s), 'Sleep expired\n');
});

test('termination message follows the runtime message after ": " when both exist', async (t) => {
  const dir = tempDir(t);
  const s = status(dir, { message: 'runtime says' });
  writeFileSync(s.annotations[Annotation.terminationMessageHostPath], 'app says');
  assert.equal(await exitedContainerMessage(s), 'runtime says: app says');
  writeFileSync(s.annotations[Annotation.terminationMessageHostPath], '');
  assert.equal(await exitedContainerMessage(s), 'runtime says');
});

test('termination message is the kubelet error text when the file cannot be read', async (t) => {
  const dir = tempDir(t);
  const s = status(dir);
  mkdirSync(s.annotations[Annotation.terminationMessageHostPath]);
  const path = s.annotations[Annotation.terminationMessageHostPath];
  assert.equal(await exitedContainerMessage(s), `Error on reading termination log ${path}: read ${path}: is a directory`);
});

test('FallbackToLogsOnError reads the last 80 log lines, at most their last 2048 bytes, from a 50 MB log', async (t) => {
  const dir = tempDir(t);
  const s = status(dir, {}, 'FallbackToLogsOnError');
  writeFileSync(s.annotations[Annotation.terminationMessageHostPath], '');
  const tail = Array.from({ length: 100 }, (_, i) => logLine(i)).join('');
  await sparseFile(s.logPath, 50 * MiB, `\n${tail}`);
  const before = bytesRead();
  const msg = await exitedContainerMessage(s);
  const read = bytesRead() - before;
  const text = Array.from({ length: 80 }, (_, i) => `line ${i + 20}\n`).join('');
  assert.equal(msg, text.slice(-2048));
  assert.ok(read < MiB, `read ${read} bytes`);
});

test('FallbackToLogsOnError counts file lines: split records of one long line count each', async (t) => {
  const dir = tempDir(t);
  const s = status(dir, {}, 'FallbackToLogsOnError');
  const records = [logLine(1), ...Array.from({ length: 79 }, (_, i) => logLine(i + 2, 'stderr', 'P')), logLine(81, 'stderr', 'F')];
  writeFileSync(s.logPath, records.join(''));
  const msg = await exitedContainerMessage(s);
  assert.ok(!msg.includes('line 1\n'), 'the 81st line from the end is left out');
  assert.ok(msg.startsWith('line 2line 3'), msg.slice(0, 40));
  assert.ok(msg.endsWith('line 81\n'));
});

test('FallbackToLogsOnError is not used when the container succeeded or the file has a message', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, '0.log'), logLine(1));
  assert.equal(await exitedContainerMessage(status(dir, { exitCode: 0, reason: 'Completed' }, 'FallbackToLogsOnError')), '');
  assert.equal(await exitedContainerMessage(status(dir, { reason: 'ContainerCannotRun' }, 'FallbackToLogsOnError')), '');
  assert.equal(await exitedContainerMessage(status(dir, {}, 'FallbackToLogsOnError')), 'line 1\n', 'a missing message file falls back');
  writeFileSync(join(dir, 'termination-log'), 'from file');
  assert.equal(await exitedContainerMessage(status(dir, {}, 'FallbackToLogsOnError')), 'from file');
});

test('FallbackToLogsOnError gives the kubelet error text when the log is missing', async (t) => {
  const dir = tempDir(t);
  const s = status(dir, {}, 'FallbackToLogsOnError');
  assert.equal(
    await exitedContainerMessage(s),
    `Error on reading termination message from logs: failed to try resolving symlinks in path "${s.logPath}": lstat ${s.logPath}: no such file or directory`,
  );
});
