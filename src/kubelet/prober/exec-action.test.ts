import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execProbe, headOfOutput, maxExecOutputBytes, type ExecFn } from './exec-action.ts';

const MiB = 1024 * 1024;

/** Records the largest Buffer.concat result while `fn` runs. */
async function largestConcat<T>(fn: () => Promise<T>): Promise<{ value: T; largest: number }> {
  const concat = Buffer.concat;
  let largest = 0;
  Buffer.concat = ((list: readonly Uint8Array[], total?: number) => {
    const b = concat(list, total);
    largest = Math.max(largest, b.length);
    return b;
  }) as typeof Buffer.concat;
  try {
    return { value: await fn(), largest };
  } finally {
    Buffer.concat = concat;
  }
}

test('exec probe keeps the first 10 KiB of 50 MB of output without copying the rest', async () => {
  const exec: ExecFn = async () => ({ stdout: Buffer.alloc(50 * MiB, 'o'), stderr: Buffer.alloc(50 * MiB, 'e'), exitCode: 1 });
  const { value, largest } = await largestConcat(() => execProbe(exec, 'c1', ['sh', '-c', 'yes'], 1));
  assert.deepEqual(value, { result: 'failure', output: 'o'.repeat(maxExecOutputBytes) });
  assert.ok(largest <= maxExecOutputBytes, `copied ${largest} bytes`);
});

test('exec probe output is stdout then stderr, as the kubelet appends them', async () => {
  const exec: ExecFn = async () => ({ stdout: Buffer.from('out;'), stderr: Buffer.alloc(20 * 1024, 'e'), exitCode: 0 });
  const r = await execProbe(exec, 'c1', ['true'], 1);
  assert.equal(r.result, 'success');
  assert.equal((r as { output: string }).output, `out;${'e'.repeat(maxExecOutputBytes - 4)}`);
});

test('headOfOutput copies at most the limit', () => {
  const out = headOfOutput({ stdout: Buffer.alloc(MiB, 'a'), stderr: Buffer.alloc(MiB, 'b') }, 10);
  assert.equal(out.toString(), 'a'.repeat(10));
  assert.ok(out.buffer.byteLength < MiB, 'a copy, not a view that keeps the whole output alive');
  assert.equal(headOfOutput({ stdout: Buffer.from('ab'), stderr: Buffer.from('cdef') }, 4).toString(), 'abcd');
});
