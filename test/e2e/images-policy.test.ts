/**
 * Pull policies end to end (docs/kubelet-semantics.md §7): `Never` with an image
 * the node does not have waits with ErrImageNeverPull; `Never` with the seed
 * image runs; an unparsable image name waits with InvalidImageName. The pod
 * stays Pending in every failing case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';

const manifest = (name: string, image: string, policy: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${image}
    imagePullPolicy: ${policy}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

test('pull policy Never waits with ErrImageNeverPull for a missing image and runs a present one; bad names wait with InvalidImageName', async (t) => {
  const node = await BerthNode.start(t);
  const watch = node.watch(['get', 'pods', '-w']);
  for (const [name, image, policy] of [
    ['never-missing', 'busybox:9.99', 'Never'],
    ['never-present', 'busybox:1.35', 'Never'],
    ['bad-name', 'Busybox:1.35', 'IfNotPresent'],
  ]) {
    const r = await node.kubectl(['apply', '-f', '-'], { input: manifest(name, image, policy) });
    assert.equal(r.code, 0, r.stderr);
  }
  await watch.waitFor(/^never-missing\s+0\/1\s+ErrImageNeverPull\s/, 60_000);
  await watch.waitFor(/^bad-name\s+0\/1\s+InvalidImageName\s/, 60_000);
  await node.waitForJsonpath('pod/never-present', '{.status.phase}', (p) => p === 'Running', 60_000);

  const missing = JSON.parse(await node.k('get', 'pod', 'never-missing', '-o', 'json')).status;
  assert.equal(missing.phase, 'Pending');
  assert.deepEqual(missing.containerStatuses[0].state.waiting, {
    reason: 'ErrImageNeverPull',
    message: 'Container image "busybox:9.99" is not present with pull policy of Never',
  });
  assert.equal(missing.containerStatuses[0].image, 'busybox:9.99');
  const bad = JSON.parse(await node.k('get', 'pod', 'bad-name', '-o', 'json')).status;
  assert.equal(bad.phase, 'Pending');
  assert.deepEqual(bad.containerStatuses[0].state.waiting, {
    reason: 'InvalidImageName',
    message: 'Failed to apply default image tag "Busybox:1.35": couldn\'t parse image name "Busybox:1.35": invalid reference format: repository name (library/Busybox) must be lowercase',
  });

  const describe = await node.k('describe', 'pod', 'never-missing');
  assert.match(describe, /Warning\s+ErrImageNeverPull\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Container image "busybox:9\.99" is not present with pull policy of Never/);
  assert.match(describe, /Warning\s+Failed\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Error: ErrImageNeverPull/);
  const badEvents = await node.k('describe', 'pod', 'bad-name');
  assert.match(badEvents, /Warning\s+InspectFailed\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Failed to apply default image tag "Busybox:1\.35"/);
  assert.match(badEvents, /Warning\s+Failed\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Error: InvalidImageName/);
  const present = await node.k('describe', 'pod', 'never-present');
  assert.match(present, /Normal\s+Pulled\s+\S+\s+kubelet\s+Container image "busybox:1\.35" already present on machine/);
});
