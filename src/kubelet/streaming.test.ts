import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/api.ts';
import { NodeStreamError } from '../apiserver/node-streams.ts';
import { CriCode, CriError } from '../cri/errors.ts';
import type { Container, ContainerFilter, PodSandbox, PodSandboxFilter, StreamRequest } from '../cri/types.ts';
import { Label } from './runtime/labels.ts';
import { NodeStreamer, type StreamingRuntime } from './streaming.ts';

const pod: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
  spec: {
    nodeName: 'node',
    initContainers: [{ name: 'init', image: 'busybox' }],
    containers: [
      { name: 'app', image: 'busybox' },
      { name: 'shell', image: 'busybox', stdin: true, tty: true },
    ],
  },
};

function container(name: string, state: Container['state'], createdAt = 1, uid = 'uid-1'): Container {
  return {
    id: `${name}-${state}-${createdAt}`,
    podSandboxId: 'sb',
    metadata: { name, attempt: 0 },
    image: 'busybox',
    imageRef: 'sha',
    state,
    createdAt,
    labels: { [Label.podUid]: uid, [Label.containerName]: name },
    annotations: {},
  };
}

function sandbox(id: string, state: PodSandbox['state'], createdAt: number): PodSandbox {
  return { id, metadata: { name: 'web', namespace: 'default', uid: 'uid-1', attempt: 0 }, state, createdAt, labels: { [Label.podUid]: 'uid-1' }, annotations: {} };
}

function fakeRuntime(containers: Container[], sandboxes: PodSandbox[] = []) {
  const calls: { method: string; req: unknown }[] = [];
  const matches = (labels: Record<string, string>, sel?: Record<string, string>) => Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);
  const runtime: StreamingRuntime = {
    async listContainers(f?: ContainerFilter) {
      return containers.filter((c) => (!f?.state || c.state === f.state) && matches(c.labels, f?.labelSelector));
    },
    async listPodSandbox(f?: PodSandboxFilter) {
      return sandboxes.filter((s) => (!f?.state || s.state === f.state) && matches(s.labels, f?.labelSelector));
    },
    async exec(req: StreamRequest) {
      calls.push({ method: 'exec', req });
      return 'http://127.0.0.1:1/exec/token';
    },
    async attach(req: StreamRequest) {
      calls.push({ method: 'attach', req });
      return 'http://127.0.0.1:1/attach/token';
    },
    async portForward(id: string, ports: number[]) {
      calls.push({ method: 'portForward', req: { id, ports } });
      return 'http://127.0.0.1:1/portforward/token';
    },
  };
  return { runtime, calls };
}

const flags = { stdin: true, stdout: true, stderr: true, tty: false };

test('execUrl asks CRI for the newest running instance of the container', async () => {
  const { runtime, calls } = fakeRuntime([container('app', 'CONTAINER_EXITED', 1), container('app', 'CONTAINER_RUNNING', 2), container('app', 'CONTAINER_RUNNING', 1, 'other-pod')]);
  const url = await new NodeStreamer(runtime).execUrl(pod, { container: 'app', command: ['ls', '/'], ...flags });
  assert.equal(url, 'http://127.0.0.1:1/exec/token');
  assert.deepEqual(calls, [{ method: 'exec', req: { containerId: 'app-CONTAINER_RUNNING-2', cmd: ['ls', '/'], tty: false, stdin: true, stdout: true, stderr: true } }]);
});

test('execUrl drops stderr under a TTY, as the kubelet does', async () => {
  const { runtime, calls } = fakeRuntime([container('app', 'CONTAINER_RUNNING')]);
  await new NodeStreamer(runtime).execUrl(pod, { container: 'app', command: ['sh'], ...flags, tty: true });
  assert.equal((calls[0].req as StreamRequest).stderr, false);
});

test('execUrl refuses a container that is not running with the kubelet’s text', async () => {
  const { runtime } = fakeRuntime([container('init', 'CONTAINER_EXITED')]);
  await assert.rejects(
    new NodeStreamer(runtime).execUrl(pod, { container: 'init', command: ['sh'], ...flags }),
    (err: unknown) => err instanceof NodeStreamError && err.httpStatus === 500 && err.message === 'container not found ("init")',
  );
});

test('execUrl passes a CRI failure on as the kubelet’s streaming error text', async () => {
  const { runtime } = fakeRuntime([container('app', 'CONTAINER_RUNNING')]);
  runtime.exec = async () => {
    throw new CriError('Exec', CriCode.NotFound, 'Exec: container is not running');
  };
  await assert.rejects(
    new NodeStreamer(runtime).execUrl(pod, { container: 'app', command: ['sh'], ...flags }),
    (err: unknown) => err instanceof NodeStreamError && err.httpStatus === 404 && err.message === 'rpc error: code = NotFound desc = container is not running',
  );
});

test('attachUrl takes the TTY setting from the container spec, not the request', async () => {
  const { runtime, calls } = fakeRuntime([container('shell', 'CONTAINER_RUNNING'), container('app', 'CONTAINER_RUNNING')]);
  const s = new NodeStreamer(runtime);
  await s.attachUrl(pod, { container: 'shell', ...flags, tty: false });
  await s.attachUrl(pod, { container: 'app', ...flags, tty: true });
  assert.deepEqual(
    calls.map((c) => c.req),
    [
      { containerId: 'shell-CONTAINER_RUNNING-1', tty: true, stdin: true, stdout: true, stderr: false },
      { containerId: 'app-CONTAINER_RUNNING-1', tty: false, stdin: true, stdout: true, stderr: true },
    ],
  );
});

test('attachUrl refuses a container that is not running with the kubelet’s text', async () => {
  const { runtime } = fakeRuntime([]);
  await assert.rejects(new NodeStreamer(runtime).attachUrl(pod, { container: 'app', ...flags }), {
    message: 'container app not found in pod web_default',
  });
});

test('portForwardUrl uses the newest sandbox of a running pod', async () => {
  const { runtime, calls } = fakeRuntime([container('app', 'CONTAINER_RUNNING')], [sandbox('old', 'SANDBOX_NOTREADY', 1), sandbox('new', 'SANDBOX_READY', 2)]);
  await new NodeStreamer(runtime).portForwardUrl(pod, [8080]);
  assert.deepEqual(calls, [{ method: 'portForward', req: { id: 'new', ports: [8080] } }]);
});

test('portForwardUrl refuses a pod with nothing running, with the kubelet’s text', async () => {
  const { runtime } = fakeRuntime([container('app', 'CONTAINER_EXITED')], [sandbox('old', 'SANDBOX_NOTREADY', 1)]);
  await assert.rejects(new NodeStreamer(runtime).portForwardUrl(pod, []), { message: 'pod not found ("web_default")' });
});
