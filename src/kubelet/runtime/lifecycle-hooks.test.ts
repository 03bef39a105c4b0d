import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from '../../api/api.ts';
import { FakeClock } from '../../clock/fake-clock.ts';
import type { ExecFn } from '../prober/exec-action.ts';
import { runLifecycleHandler } from './lifecycle-hooks.ts';

const MiB = 1024 * 1024;
const container: Container = { name: 'app', image: 'busybox:1.35' };
const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [container] } };

test('a failed exec hook quotes at most 10 KiB of its stdout and stderr, however much it wrote', async () => {
  const exec: ExecFn = async () => ({ stdout: Buffer.alloc(50 * MiB, 'o'), stderr: Buffer.alloc(50 * MiB, 'e'), exitCode: 2 });
  const msg = await runLifecycleHandler({ exec: { command: ['sh', '-c', 'flood'] } }, { pod, container, containerId: 'c1', podIP: '', exec, clock: new FakeClock() });
  assert.ok(msg !== undefined);
  assert.ok(msg.startsWith(`Exec lifecycle hook ([sh -c flood]) for Container "app" in Pod "p_default(u1)" failed - error: command 'sh -c flood' exited with 2: eee`), msg.slice(0, 160));
  assert.ok(msg.length < 32 * 1024, `message of ${msg.length} characters`);
  assert.ok(msg.endsWith(`, message: "${'o'.repeat(10 * 1024)}"`));
});

test('a failed exec hook with little output quotes it whole, stdout then stderr', async () => {
  const exec: ExecFn = async () => ({ stdout: Buffer.from('out\n'), stderr: Buffer.from('err'), exitCode: 1 });
  const msg = await runLifecycleHandler({ exec: { command: ['false'] } }, { pod, container, containerId: 'c1', podIP: '', exec, clock: new FakeClock() });
  assert.equal(msg, `Exec lifecycle hook ([false]) for Container "app" in Pod "p_default(u1)" failed - error: command 'false' exited with 1: err, message: "out\\nerr"`);
});
