/**
 * The kubelet's fake CRI runtime keeps the contract the gRPC client keeps on
 * a real containerd (cri/runtime-contract.test.ts): what the node agent's
 * unit tests learn from the fake holds for containerd.
 */
import { test } from 'node:test';
import { runtimeContract } from '../../cri/runtime-contract.ts';
import { FakeClock } from '../../clock/fake-clock.ts';
import { fakeBusybox, FakeRuntime } from './fake-runtime.ts';

test('FakeRuntime keeps the CRI runtime contract', async (t) => {
  const runtime = new FakeRuntime(new FakeClock());
  await runtimeContract(t, {
    runtime,
    image: fakeBusybox.name,
    imageId: fakeBusybox.id,
    logRoot: '/var/log/berth-contract',
    execRunsCommands: false,
    async exit(id, code) {
      runtime.exitContainer(id, code);
    },
  });
});
