/**
 * `@kubernetes/client-node` drives a berth node through everything its users
 * do (client-node-script.ts): create, watch with resume, logs, exec over v5
 * and v4, port-forward, every patch type, pagination, 410 and relist, 422
 * bodies, events.k8s.io/v1 over the core events, and a makeInformer
 * informer that must relist after a 410.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BerthNode, nodeBin } from '../e2e/harness.ts';
import { describeFailures, runClient } from './conformance-fixture.ts';

const expected = [
  'create: a namespace, a configmap and pods',
  'watch: resumes from a resourceVersion without replaying what was seen',
  'logs: tail, timestamps and follow',
  "logs: previous is the last terminated container's output",
  'exec v5: stdout, stderr, exit codes and stdin closed',
  'exec v4: stdout, exit codes and stdin',
  'port-forward: an HTTP request reaches the pod',
  'patch: json, merge, strategic and apply with force',
  'pagination: limit and continue',
  'watch-list: initial events, then the initial-events-end bookmark',
  '422: an invalid object answers an Invalid Status with causes',
  '410: a watch and a continue from compacted history expire; a relist recovers',
  'events.k8s.io/v1: the core events seen through its names, one storage, one watch',
  'informer: makeInformer keeps its cache, and relists after a 410',
];

test('@kubernetes/client-node passes every conformance check against berth', async (t) => {
  const node = await BerthNode.start(t);
  const run = await runClient(node, nodeBin, [join(import.meta.dirname, 'client-node-script.ts')], { NAMESPACE: 'jsconf' });
  assert.deepEqual(
    run.checks.filter((c) => !c.ok).map((c) => c.check),
    [],
    describeFailures(run),
  );
  assert.deepEqual(run.checks.map((c) => c.check), expected, describeFailures(run));
  assert.equal(run.code, 0, describeFailures(run));
});
