import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Pod } from '../../api/api.ts';
import { serveLogs } from './logs.ts';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'app', image: 'busybox:1.35' }] },
};

test('serveLogs answers with the kubelet text, not an error, when the instance is gone from the runtime', async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const status = {
    containerStatuses: [
      {
        name: 'app',
        image: 'busybox:1.35',
        imageID: '',
        ready: false,
        restartCount: 1,
        containerID: 'containerd://c2',
        state: { terminated: { exitCode: 1, containerID: 'containerd://c2' } },
      },
    ],
  };
  await serveLogs(pod, { container: 'app' }, out, new AbortController().signal, {
    podStatus: () => status,
    logPath: async (id) => {
      throw new Error(`ContainerStatus: an error occurred when try to find container "${id}": not found`);
    },
    isRunning: async () => false,
  });
  out.end();
  assert.equal(Buffer.concat(chunks).toString('utf8'), 'unable to retrieve container logs for containerd://c2');
});
