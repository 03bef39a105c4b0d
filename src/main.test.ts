import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesUsing } from '../test/e2e/harness.ts';
import { BerthNode } from './main.ts';

test('BerthNode aborted while starting rejects its start, writes no kubeconfig, and stop waits for the start before stopping every part', { timeout: 60_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-main-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const ac = new AbortController();
  const order: string[] = [];
  let stopped: Promise<void> | undefined;
  const node = new BerthNode({
    dataDir,
    port: 0,
    progress: (step) => {
      // The node agent runs; only the /readyz wait and the kubeconfig are left.
      if (step === 'node agent running') {
        ac.abort();
        stopped = node.stop().then(() => void order.push('stop'));
      }
    },
  });
  t.after(() => node.stop());
  const started = node.start(ac.signal).then(
    () => void order.push('started'),
    () => void order.push('start failed'),
  );
  await started;
  assert.ok(stopped, 'the start reached the node agent');
  await stopped;
  assert.deepEqual(order, ['start failed', 'stop']);
  assert.equal(existsSync(node.kubeconfigPath), false);
  assert.deepEqual(processesUsing(dataDir), []);
});
