import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podLogUids, podUidOfLogDir, removePodLogs } from './pod-log-dirs.ts';

function logRoot(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-podlogs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of ['default_web_u1', 'kube-system_dns_u2', 'default_web_u3']) {
    mkdirSync(join(dir, name, 'app'), { recursive: true });
    writeFileSync(join(dir, name, 'app', '0.log'), 'x\n');
  }
  writeFileSync(join(dir, 'stray_file_u4'), '');
  return dir;
}

test('podUidOfLogDir takes the part after the last underscore', () => {
  assert.equal(podUidOfLogDir('default_web-0_5f1c9a5e-0d2b-4c1e-9f57-1b2d3c4e5f60'), '5f1c9a5e-0d2b-4c1e-9f57-1b2d3c4e5f60');
});

test('podLogUids lists the UIDs of pod log directories only', async (t) => {
  assert.deepEqual((await podLogUids(logRoot(t))).sort(), ['u1', 'u2', 'u3']);
  assert.deepEqual(await podLogUids('/nonexistent/berth/logs'), []);
});

test('removePodLogs removes the directory of one pod and leaves every other pod', async (t) => {
  const dir = logRoot(t);
  await removePodLogs(dir, 'u1');
  assert.deepEqual(readdirSync(dir).sort(), ['default_web_u3', 'kube-system_dns_u2', 'stray_file_u4']);
  await removePodLogs(dir, '');
  await removePodLogs(dir, 'u1');
  assert.equal(readdirSync(dir).length, 3);
});
