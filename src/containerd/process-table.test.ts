import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { orphanShims, processAlive } from './process-table.ts';

/** A process that looks like a shim of `socket`, running in `cwd`. */
function fakeShim(t: { after: (fn: () => void) => void }, socket: string, cwd: string) {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', '-namespace', 'k8s.io', '-address', socket], {
    argv0: 'containerd-shim-runc-v2',
    cwd,
    stdio: 'ignore',
  });
  t.after(() => {
    if (child.pid && processAlive(child.pid)) child.kill('SIGKILL');
  });
  return child.pid!;
}

test('orphanShims finds shims of our socket whose task bundle was deleted, and only those', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'berth-shim-test-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const socket = join(root, 'containerd.sock');
  const gone = mkdtempSync(join(root, 'bundle-'));
  const live = mkdtempSync(join(root, 'bundle-'));
  const orphan = fakeShim(t, socket, gone);
  const alive = fakeShim(t, socket, live);
  const other = fakeShim(t, join(root, 'other.sock'), mkdtempSync(join(root, 'bundle-')));
  await sleep(200);
  rmSync(gone, { recursive: true, force: true });
  const found = orphanShims(socket);
  assert.ok(found.includes(orphan), 'the shim whose bundle is gone');
  assert.ok(!found.includes(alive), 'a shim whose bundle exists serves a live task');
  assert.ok(!found.includes(other), 'another containerd\'s shim is not ours');
});
