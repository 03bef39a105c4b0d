import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pod, PodStatus } from '../../api/api.ts';
import type { LogOptions } from '../../apiserver/node-streams.ts';
import { bytesRead } from './bytes-read.ts';
import { serveLogs, type LogDeps } from './logs.ts';

const MiB = 1024 * 1024;

const pod: Pod = {
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'app', image: 'busybox:1.35' }] },
};

const running: PodStatus = {
  containerStatuses: [
    { name: 'app', image: 'busybox:1.35', imageID: '', ready: true, restartCount: 0, containerID: 'containerd://c1', state: { running: {} } },
  ],
};

/** A CRI record written `i` seconds after 2026-01-01T00:00:00Z. */
const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
const record = (i: number, stream = 'stdout', tag = 'F') => `${at(i)} ${stream} ${tag} line ${i}\n`;

function logFile(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, '0.log');
}

function deps(path: string, isRunning: () => boolean = () => false): LogDeps {
  return { podStatus: () => running, logPath: async () => path, isRunning: async () => isRunning() };
}

async function collect(opts: LogOptions, d: LogDeps, signal = new AbortController().signal): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await serveLogs(pod, opts, out, signal, d);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

test('serveLogs answers with the kubelet text, not an error, when the instance is gone from the runtime', async () => {
  const status = {
    containerStatuses: [
      {
        name: 'app',
        image: 'busybox:1.35',
        imageID: '',
        ready: false,
        restartCount: 1,
        containerID: 'containerd://c2',
        state: { terminated: { exitCode: 1, containerID: 'containerd://c2' } },
      },
    ],
  };
  const text = await collect(
    { container: 'app' },
    {
      podStatus: () => status,
      logPath: async (id) => {
        throw new Error(`ContainerStatus: an error occurred when try to find container "${id}": not found`);
      },
      isRunning: async () => false,
    },
  );
  assert.equal(text, 'unable to retrieve container logs for containerd://c2');
});

test('serveLogs with tailLines reads only the end of a 50 MB log', async (t) => {
  const path = logFile(t);
  writeFileSync(path, record(0));
  await truncate(path, 50 * MiB);
  appendFileSync(path, `\n${record(1)}${record(2)}${record(3)}`);
  const before = bytesRead();
  const text = await collect({ container: 'app', tailLines: 2 }, deps(path));
  const read = bytesRead() - before;
  assert.equal(text, 'line 2\nline 3\n');
  assert.ok(read < MiB, `read ${read} bytes`);
});

test('serveLogs tail counts file lines, as the kubelet does, and since and limitBytes apply after it', async (t) => {
  const path = logFile(t);
  writeFileSync(path, record(1) + record(2, 'stderr', 'P') + record(3, 'stderr', 'F') + record(4));
  assert.equal(await collect({ container: 'app', tailLines: 2 }, deps(path)), 'line 3\nline 4\n');
  assert.equal(await collect({ container: 'app', tailLines: 3 }, deps(path)), 'line 2line 3\nline 4\n');
  assert.equal(await collect({ container: 'app', tailLines: 0 }, deps(path)), '');
  assert.equal(
    await collect({ container: 'app', tailLines: 3, sinceTime: at(3) }, deps(path)),
    'line 3\nline 4\n',
  );
  assert.equal(await collect({ container: 'app', limitBytes: 9 }, deps(path)), 'line 1\nli');
  assert.equal(await collect({ container: 'app', timestamps: true, tailLines: 1 }, deps(path)), `${at(4)} line 4\n`);
});

test('serveLogs reads a big log only as fast as the client takes it', async (t) => {
  const path = logFile(t);
  const lines = 200_000;
  const fh = await open(path, 'w');
  for (let i = 0; i < lines; i += 10_000) {
    await fh.write(Array.from({ length: 10_000 }, (_, j) => record(i + j)).join(''));
  }
  await fh.close();
  let received = 0;
  let stalled: (() => void)[] = [];
  let release = false;
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, cb) {
      received += chunk.length;
      if (release) cb();
      else stalled.push(cb);
    },
  });
  const before = bytesRead();
  const done = serveLogs(pod, { container: 'app' }, out, new AbortController().signal, deps(path));
  await sleep(200);
  const readWhileStalled = bytesRead() - before;
  assert.ok(readWhileStalled < 2 * MiB, `read ${readWhileStalled} bytes of a stalled stream`);
  release = true;
  for (const cb of stalled) cb();
  stalled = [];
  await done;
  const expected = Array.from({ length: lines }, (_, i) => `line ${i}\n`).join('');
  assert.equal(received, Buffer.byteLength(expected));
});

/**
 * A follow of a running container: its last line lands, then the exit event
 * comes; containerd's status says "exited" `statusLagMs` later. Returns how
 * long after the event the follow ended, what it wrote, and whether it
 * unsubscribed from the exit events.
 */
async function followToExit(t: { after(fn: () => void): void }, statusLagMs: number) {
  const path = logFile(t);
  writeFileSync(path, record(1));
  let alive = true;
  let stopped: (() => void) | undefined;
  let unsubscribed = false;
  const d: LogDeps = {
    ...deps(path, () => alive),
    onStopped: (id, fn) => {
      assert.equal(id, 'c1');
      stopped = fn;
      return () => (unsubscribed = true);
    },
  };
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const done = serveLogs(pod, { container: 'app', follow: true }, out, new AbortController().signal, d);
  await sleep(100);
  // Between two polls (250 ms apart): the last line lands, then the exit event.
  appendFileSync(path, record(2));
  await sleep(20);
  if (statusLagMs === 0) alive = false;
  const t0 = performance.now();
  stopped!();
  if (statusLagMs > 0) {
    await sleep(statusLagMs);
    alive = false;
  }
  await done;
  return { endedMs: performance.now() - t0, text, unsubscribed };
}

test('serveLogs follow ends on the container\'s exit event, not at its next poll', async (t) => {
  const r = await followToExit(t, 0);
  assert.ok(r.endedMs < 100, `ended ${Math.round(r.endedMs)} ms after the exit event`);
  assert.equal(r.text, 'line 1\nline 2\n');
  assert.ok(r.unsubscribed);
});

test('serveLogs follow ends soon after the exit event when the runtime still says running for a while', async (t) => {
  const r = await followToExit(t, 30);
  assert.ok(r.endedMs < 100, `ended ${Math.round(r.endedMs)} ms after the exit event`);
  assert.equal(r.text, 'line 1\nline 2\n');
});

test('serveLogs follow streams appended lines until the container stops', async (t) => {
  const path = logFile(t);
  writeFileSync(path, record(1));
  let alive = true;
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const done = serveLogs(pod, { container: 'app', follow: true, tailLines: 1 }, out, new AbortController().signal, deps(path, () => alive));
  await sleep(50);
  appendFileSync(path, `${record(2)}${at(3)} stdout F li`);
  await sleep(400);
  assert.equal(text, 'line 1\nline 2\n');
  appendFileSync(path, 'ne 3\n');
  alive = false;
  await done;
  assert.equal(text, 'line 1\nline 2\nline 3\n');
});
