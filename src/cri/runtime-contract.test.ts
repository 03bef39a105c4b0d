/**
 * The gRPC `RuntimeService` against a real containerd 1.6 (root required):
 * the CRI runtime contract (runtime-contract.ts), the same suite the
 * kubelet's fake runtime passes.
 */
import { test } from 'node:test';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { containerdFixture } from '../containerd/containerd-fixture.ts';
import { BUSYBOX_IMAGE } from '../containerd/seed-images.ts';
import { exitCommand, runtimeContract } from './runtime-contract.ts';

const asRoot = { skip: process.getuid?.() !== 0 ? 'needs root' : false, timeout: 180_000 };

test('GrpcRuntimeService on containerd 1.6 keeps the CRI runtime contract', asRoot, async (t) => {
  const fx = await containerdFixture(t);
  const ac = new AbortController();
  t.after(() => ac.abort());
  const cd = fx.containerd();
  await cd.start(ac.signal);
  await cd.importImages(fx.imagesDir);
  const { runtime, images } = fx.cri(cd.socketPath);
  const busybox = await images.imageStatus(BUSYBOX_IMAGE);
  await runtimeContract(t, {
    runtime,
    image: BUSYBOX_IMAGE,
    imageId: busybox!.id,
    logRoot: join(fx.dir, 'logs'),
    execRunsCommands: true,
    async exit(id, code) {
      await runtime.execSync(id, exitCommand(code), 10);
      const deadline = Date.now() + 10_000;
      while ((await runtime.containerStatus(id)).state !== 'CONTAINER_EXITED') {
        if (Date.now() > deadline) throw new Error(`container ${id} did not exit`);
        await sleep(20);
      }
    },
  });
});
