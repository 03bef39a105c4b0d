/**
 * The official Python client, as Debian ships it (python3-kubernetes), drives
 * a berth node through everything its users do (python_client.py): create,
 * watch with resume, logs, exec over v4 and v5, port-forward, every patch
 * type, pagination, 410 and relist, 422 bodies, events.k8s.io/v1 over the
 * core events, and a watch.Watch informer; kubectl then reads the events the
 * script wrote through both event APIs (`get events.v1.events.k8s.io`,
 * `kubectl events`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BerthNode } from '../e2e/harness.ts';
import { describeFailures, runClient } from './conformance-fixture.ts';

// The Debian package's interpreter: a python3 earlier on PATH (pyenv) lacks the package.
const python = '/usr/bin/python3';

const expected = [
  'create: a namespace, a configmap and pods',
  'watch: resumes from a resourceVersion without replaying what was seen',
  'logs: tail, timestamps and follow',
  'logs: previous is the last terminated container\'s output',
  "logs: follow ends when the container exits; port-forward and exec report the runtime's errors",
  'exec v4: stdout, stderr, exit codes and stdin',
  'exec v5: stdin closed with the close signal',
  'port-forward: an HTTP request reaches the pod',
  'patch: json, merge, strategic and apply with force',
  'pagination: limit and continue',
  '422: an invalid object answers an Invalid Status with causes',
  '410: a watch and a continue from compacted history expire; a relist recovers',
  'events.k8s.io/v1: the core events seen through its names, one storage, one watch',
  'delete: options in the body, preconditions, dry run and collections',
  'update: a stale resourceVersion answers 409 Conflict; dry run stores nothing',
  'logs: a pod of two containers needs a container name',
  'exec: a tty session, and the status subresource',
  'discovery: version, groups and resources',
  'informer: a watch.Watch loop keeps a cache equal to the server\'s',
];

test('the official Python client passes every conformance check against berth', async (t) => {
  const node = await BerthNode.start(t);
  const run = await runClient(node, python, [join(import.meta.dirname, 'python_client.py')], { NAMESPACE: 'pyconf' });
  assert.deepEqual(
    run.checks.filter((c) => !c.ok).map((c) => c.check),
    [],
    describeFailures(run),
  );
  assert.deepEqual(run.checks.map((c) => c.check), expected, describeFailures(run));
  assert.equal(run.code, 0, describeFailures(run));
  // kubectl sees the event the script wrote through events.k8s.io/v1 through both APIs
  // (`kubectl events --for` selects on involvedObject kind, apiVersion and name).
  assert.match(await node.k('get', 'events.v1.events.k8s.io', '-n', 'pyconf'), /Normal\s+Checked\s+pod\/app\s+from python/);
  assert.match(await node.k('events', '-n', 'pyconf', '--for', 'pod/app'), /Normal\s+Checked\s+Pod\/app\s+from python/);
});
