import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLease, leaseHolder, releaseLease, waitForLease } from './service-network-lease.ts';

function leasePath(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-lease-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'run', 'service-network.lease');
}

test('acquireLease gives the lease to the first node and names it to the second', (t) => {
  const path = leasePath(t);
  const alive = () => true;
  assert.deepEqual(acquireLease('/a', { path, pid: 100, alive }), { acquired: true });
  assert.deepEqual(acquireLease('/a', { path, pid: 100, alive }), { acquired: true });
  assert.deepEqual(acquireLease('/b', { path, pid: 200, alive }), { acquired: false, holder: { pid: 100, dataDir: '/a' } });
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { pid: 100, dataDir: '/a' });
});

test('acquireLease takes over a lease whose process is gone', (t) => {
  const path = leasePath(t);
  acquireLease('/a', { path, pid: 100, alive: () => true });
  assert.deepEqual(acquireLease('/b', { path, pid: 200, alive: (pid) => pid !== 100 }), { acquired: true });
  assert.deepEqual(leaseHolder({ path, alive: () => true }), { pid: 200, dataDir: '/b' });
});

test('releaseLease removes only a lease this process holds, and waitForLease then gets it', async (t) => {
  const path = leasePath(t);
  acquireLease('/a', { path, pid: 100, alive: () => true });
  releaseLease({ path, pid: 200 });
  assert.ok(existsSync(path));
  const waiting = waitForLease('/b', 5_000, { path, pid: 200, alive: () => true });
  setTimeout(() => releaseLease({ path, pid: 100 }), 300);
  assert.deepEqual(await waiting, { acquired: true });
  assert.deepEqual(await waitForLease('/c', 0, { path, pid: 300, alive: () => true }), { acquired: false, holder: { pid: 200, dataDir: '/b' } });
});
