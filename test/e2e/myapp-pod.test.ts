/**
 * The kubernetes.io init containers example (examples/myapp-pod.yaml), driven
 * as the page drives it: the pod alone first — `Init:0/2`, "waiting for
 * myservice" in `kubectl logs myapp-pod -c init-myservice` — then the two
 * Services, after which the init containers finish in order and the app
 * runs. The init containers read their namespace from the ServiceAccount
 * volume and find the Services through cluster DNS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BerthNode, repoRoot } from './harness.ts';
import { applyText, jsonpathUntil, kubectlUntil } from './kubectl-fixtures.ts';

const [podPart, ...servicePart] = readFileSync(join(repoRoot, 'examples', 'myapp-pod.yaml'), 'utf8').split(/^---$/m);

test('myapp-pod waits in Init:0/2 for myservice, then runs once both Services exist', async (t) => {
  const node = await BerthNode.start(t, { serviceNetwork: true });
  assert.equal(await applyText(node, podPart), 'pod/myapp-pod created\n');
  await kubectlUntil(node, ['logs', 'myapp-pod', '-c', 'init-myservice'], (r) => r.code === 0 && r.stdout.includes('waiting for myservice'), 60_000);
  assert.match(await node.k('get', 'pod', 'myapp-pod'), /\nmyapp-pod\s+0\/1\s+Init:0\/2\s+0\s+\d+s\n$/);
  assert.equal(await node.k('exec', 'myapp-pod', '-c', 'init-myservice', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace'), 'default');

  assert.equal(await applyText(node, servicePart.join('---')), 'service/myservice created\nservice/mydb created\n');
  await jsonpathUntil(node, ['pod', 'myapp-pod'], '{.status.phase}', (v) => v === 'Running', 60_000);
  assert.equal(await node.k('logs', 'myapp-pod', '-c', 'myapp-container'), 'The app is running!\n');
  const describe = await node.k('describe', 'pod', 'myapp-pod');
  assert.match(describe, /init-myservice:[\s\S]*State:\s+Terminated\s+Reason:\s+Completed\s+Exit Code:\s+0/);
  assert.match(describe, /init-mydb:[\s\S]*State:\s+Terminated\s+Reason:\s+Completed\s+Exit Code:\s+0/);
});
