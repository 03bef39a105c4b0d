import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { createCriClient, type CriClientOptions } from './cri.ts';
import { CriCode, CriError, isNotFound } from './errors.ts';
import { startFakeServer } from './fake-grpc-server.ts';
import { grpcDefinitions } from './grpc-definitions.ts';
import type { PodSandboxConfig } from './types.ts';

type Handler = (call: ServerUnaryCall<any, any>, cb: sendUnaryData<any>) => void;

/** A fake runtime serving `handlers`; returns a client connected to it. Both are cleaned up after the test. */
async function fakeRuntime(t: { after: (fn: () => void) => void }, handlers: Record<string, Handler>, opts?: CriClientOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cri-'));
  const defs = grpcDefinitions();
  const server = await startFakeServer(join(dir, 'cri.sock'), [
    { def: defs.runtime, impl: handlers },
    { def: defs.images, impl: handlers },
  ]);
  const client = createCriClient(server.socketPath, opts);
  t.after(() => {
    client.close();
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  return client;
}

const sandboxConfig: PodSandboxConfig = {
  metadata: { name: 'web', uid: 'u-1', namespace: 'default', attempt: 2 },
  hostname: 'web',
  logDirectory: '/var/log/pods/default_web_u-1',
  dnsConfig: { servers: ['10.0.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
  portMappings: [{ protocol: 'UDP', containerPort: 53, hostPort: 5353 }],
  labels: { 'io.kubernetes.pod.uid': 'u-1' },
  annotations: { note: 'x' },
  linux: {
    cgroupParent: '/berth/pod-u-1',
    sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
    securityContext: { namespaceOptions: { pid: 'CONTAINER' }, runAsUser: 1000, runAsGroup: 0, supplementalGroups: [5, 6] },
  },
};

test('runPodSandbox sends the sandbox config in CRI wire form and returns the id', async (t) => {
  let got: any;
  const client = await fakeRuntime(t, {
    RunPodSandbox: (call, cb) => {
      got = call.request;
      cb(null, { podSandboxId: 'sb-1' });
    },
  });
  assert.equal(await client.runtime.runPodSandbox(sandboxConfig), 'sb-1');
  const c = got.config;
  assert.deepEqual(c.metadata, { name: 'web', uid: 'u-1', namespace: 'default', attempt: 2 });
  assert.equal(c.logDirectory, '/var/log/pods/default_web_u-1');
  assert.deepEqual(c.dnsConfig, { servers: ['10.0.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] });
  assert.deepEqual(c.portMappings, [{ protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '' }]);
  assert.deepEqual(c.labels, { 'io.kubernetes.pod.uid': 'u-1' });
  assert.equal(c.linux.cgroupParent, '/berth/pod-u-1');
  assert.deepEqual(c.linux.sysctls, { 'net.ipv4.ip_unprivileged_port_start': '0' });
  const sc = c.linux.securityContext;
  assert.deepEqual(sc.namespaceOptions, { network: 'POD', pid: 'CONTAINER', ipc: 'POD', targetId: '' });
  // Int64Value wrappers: present when set (even to 0), absent otherwise.
  assert.deepEqual(sc.runAsUser, { value: '1000' });
  assert.deepEqual(sc.runAsGroup, { value: '0' });
  assert.deepEqual(sc.supplementalGroups, ['5', '6']);
});

test('createContainer sends container and sandbox config; absent optional messages stay absent', async (t) => {
  let got: any;
  const client = await fakeRuntime(t, {
    CreateContainer: (call, cb) => {
      got = call.request;
      cb(null, { containerId: 'c-1' });
    },
  });
  const id = await client.runtime.createContainer(
    'sb-1',
    {
      metadata: { name: 'app', attempt: 1 },
      image: { image: 'docker.io/library/busybox:1.35' },
      command: ['sh'],
      args: ['-c', 'exit 3'],
      envs: [{ key: 'A', value: '1' }],
      mounts: [{ containerPath: '/data', hostPath: '/tmp/d', readonly: true }],
      logPath: 'app/1.log',
      linux: { securityContext: { runAsUser: 0, capabilities: { dropCapabilities: ['NET_RAW'] }, maskedPaths: ['/proc/kcore'] } },
    },
    { metadata: { name: 'web', uid: 'u-1', namespace: 'default', attempt: 0 } },
  );
  assert.equal(id, 'c-1');
  assert.equal(got.podSandboxId, 'sb-1');
  const c = got.config;
  assert.deepEqual(c.metadata, { name: 'app', attempt: 1 });
  assert.equal(c.image.image, 'docker.io/library/busybox:1.35');
  assert.deepEqual([c.command, c.args], [['sh'], ['-c', 'exit 3']]);
  assert.deepEqual(c.envs, [{ key: 'A', value: '1' }]);
  assert.deepEqual(c.mounts, [{ containerPath: '/data', hostPath: '/tmp/d', readonly: true, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' }]);
  assert.equal(c.logPath, 'app/1.log');
  assert.deepEqual(c.linux.securityContext.runAsUser, { value: '0' });
  assert.equal(c.linux.securityContext.runAsGroup, null);
  assert.deepEqual(c.linux.securityContext.capabilities, { addCapabilities: [], dropCapabilities: ['NET_RAW'] });
  assert.deepEqual(c.linux.securityContext.maskedPaths, ['/proc/kcore']);
  assert.equal(c.linux.resources, null);
  assert.equal(got.sandboxConfig.metadata.name, 'web');
  assert.equal(got.sandboxConfig.linux, null);
});

test('containerStatus converts nanosecond times to milliseconds and returns camelCase fields', async (t) => {
  const client = await fakeRuntime(t, {
    ContainerStatus: (call, cb) =>
      cb(null, {
        status: {
          id: call.request.containerId,
          metadata: { name: 'app', attempt: 3 },
          state: 'CONTAINER_EXITED',
          createdAt: '1700000000123456789',
          startedAt: '1700000001999999999',
          finishedAt: '1700000002000000000',
          exitCode: 3,
          image: { image: 'docker.io/library/busybox:1.35' },
          imageRef: 'docker.io/library/busybox@sha256:abc',
          reason: 'Error',
          message: 'boom',
          labels: { a: 'b' },
          annotations: { c: 'd' },
          logPath: '/logs/app/3.log',
        },
      }),
  });
  assert.deepEqual(await client.runtime.containerStatus('c-9'), {
    id: 'c-9',
    metadata: { name: 'app', attempt: 3 },
    state: 'CONTAINER_EXITED',
    createdAt: 1700000000123,
    startedAt: 1700000001999,
    finishedAt: 1700000002000,
    exitCode: 3,
    image: 'docker.io/library/busybox:1.35',
    imageRef: 'docker.io/library/busybox@sha256:abc',
    reason: 'Error',
    message: 'boom',
    labels: { a: 'b' },
    annotations: { c: 'd' },
    logPath: '/logs/app/3.log',
  });
});

test('listContainers and listPodSandbox wrap the state filter and pass label selectors', async (t) => {
  const seen: any[] = [];
  const client = await fakeRuntime(t, {
    ListContainers: (call, cb) => {
      seen.push(call.request.filter);
      cb(null, {
        containers: [
          { id: 'c-1', podSandboxId: 'sb-1', metadata: { name: 'a', attempt: 0 }, image: { image: 'img' }, imageRef: 'ref', state: 'CONTAINER_RUNNING', createdAt: '5000000' },
        ],
      });
    },
    ListPodSandbox: (call, cb) => {
      seen.push(call.request.filter);
      cb(null, { items: [{ id: 'sb-1', metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 1 }, state: 'SANDBOX_NOTREADY', createdAt: '0' }] });
    },
  });
  const containers = await client.runtime.listContainers({ state: 'CONTAINER_RUNNING', labelSelector: { app: 'x' } });
  assert.deepEqual(containers, [
    { id: 'c-1', podSandboxId: 'sb-1', metadata: { name: 'a', attempt: 0 }, image: 'img', imageRef: 'ref', state: 'CONTAINER_RUNNING', createdAt: 5, labels: {}, annotations: {} },
  ]);
  const sandboxes = await client.runtime.listPodSandbox({ state: 'SANDBOX_READY' });
  assert.equal(sandboxes[0].state, 'SANDBOX_NOTREADY');
  assert.equal(sandboxes[0].createdAt, 0);
  await client.runtime.listContainers();
  assert.deepEqual(seen[0], { id: '', podSandboxId: '', state: { state: 'CONTAINER_RUNNING' }, labelSelector: { app: 'x' } });
  assert.deepEqual(seen[1].state, { state: 'SANDBOX_READY' });
  assert.equal(seen[2], null, 'no filter at all when none is given');
});

test('podSandboxStatus exposes the primary and additional pod IPs', async (t) => {
  const client = await fakeRuntime(t, {
    PodSandboxStatus: (call, cb) =>
      cb(null, {
        status: {
          id: call.request.podSandboxId,
          metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 0 },
          state: 'SANDBOX_READY',
          createdAt: '1000000',
          network: { ip: '10.244.0.7', additionalIps: [{ ip: 'fd00::7' }] },
        },
      }),
  });
  const s = await client.runtime.podSandboxStatus('sb-1');
  assert.equal(s.ip, '10.244.0.7');
  assert.deepEqual(s.additionalIps, ['fd00::7']);
  assert.equal(s.createdAt, 1);
});

test('execSync returns output as buffers with the exit code and sends the timeout in seconds', async (t) => {
  let got: any;
  const client = await fakeRuntime(t, {
    ExecSync: (call, cb) => {
      got = call.request;
      cb(null, { stdout: Buffer.from('out'), stderr: Buffer.from('err'), exitCode: 7 });
    },
  });
  const r = await client.runtime.execSync('c-1', ['cat', '/x'], 2.2);
  assert.deepEqual(r, { stdout: Buffer.from('out'), stderr: Buffer.from('err'), exitCode: 7 });
  assert.deepEqual([got.containerId, got.cmd, got.timeout], ['c-1', ['cat', '/x'], '3']);
});

test('imageStatus answers null for an image the runtime does not have', async (t) => {
  const client = await fakeRuntime(t, {
    ImageStatus: (call, cb) =>
      cb(null, call.request.image.image === 'present:1' ? { image: { id: 'sha256:1', repoTags: ['present:1'], repoDigests: [], size: '42' } } : {}),
  });
  assert.deepEqual(await client.images.imageStatus('present:1'), { id: 'sha256:1', repoTags: ['present:1'], repoDigests: [], size: 42 });
  assert.equal(await client.images.imageStatus('absent:1'), null);
});

test('runtime errors become CriError with the gRPC status name as code', async (t) => {
  const client = await fakeRuntime(t, {
    RemoveContainer: (_call, cb) => cb({ code: status.NOT_FOUND, details: 'container "c-1" not found' }),
    StartContainer: (_call, cb) => cb({ code: status.UNKNOWN, details: 'failed to start' }),
  });
  const err = await client.runtime.removeContainer('c-1').catch((e: unknown) => e);
  assert.ok(err instanceof CriError);
  assert.equal(err.code, CriCode.NotFound);
  assert.equal(err.method, 'RemoveContainer');
  assert.equal(err.message, 'RemoveContainer: container "c-1" not found');
  assert.equal(isNotFound(err), true);
  await assert.rejects(client.runtime.startContainer('c-1'), (e: unknown) => e instanceof CriError && e.code === CriCode.Unknown && !isNotFound(e));
});

test('a call the runtime does not answer fails with DEADLINE_EXCEEDED at its deadline', async (t) => {
  const client = await fakeRuntime(t, { Version: () => {} }, { timeouts: { defaultMs: 150 } });
  const started = performance.now();
  await assert.rejects(client.runtime.version(), (e: unknown) => e instanceof CriError && e.code === CriCode.DeadlineExceeded);
  const took = performance.now() - started;
  assert.ok(took >= 140 && took < 2000, `took ${took} ms`);
});

test('calls fail fast with UNAVAILABLE when nothing listens on the socket', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cri-'));
  const client = createCriClient(join(dir, 'nobody.sock'));
  t.after(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const started = performance.now();
  await assert.rejects(client.runtime.version(), (e: unknown) => e instanceof CriError && e.code === CriCode.Unavailable);
  assert.ok(performance.now() - started < 1000);
});

test('cri-v1.proto keeps upstream CRI field numbers where they are not sequential', () => {
  const root = protobuf.loadSync(fileURLToPath(new URL('./proto/cri-v1.proto', import.meta.url)));
  const id = (msg: string, field: string) => root.lookupType(`runtime.v1.${msg}`).fields[field]?.id;
  const expected: [string, string, number][] = [
    ['LinuxSandboxSecurityContext', 'runAsUser', 3],
    ['LinuxSandboxSecurityContext', 'runAsGroup', 8],
    ['LinuxSandboxSecurityContext', 'privileged', 6],
    ['LinuxContainerSecurityContext', 'runAsUsername', 6],
    ['LinuxContainerSecurityContext', 'noNewPrivs', 11],
    ['LinuxContainerSecurityContext', 'runAsGroup', 12],
    ['LinuxContainerSecurityContext', 'maskedPaths', 13],
    ['LinuxContainerSecurityContext', 'readonlyPaths', 14],
    ['ContainerConfig', 'labels', 9],
    ['ContainerConfig', 'logPath', 11],
    ['ContainerConfig', 'linux', 15],
    ['ContainerStatus', 'reason', 10],
    ['ContainerStatus', 'logPath', 15],
    ['PodSandboxStatus', 'labels', 7],
    ['PodSandboxStatus', 'annotations', 8],
    ['PodSandbox', 'labels', 5],
    ['Container', 'labels', 8],
    ['ContainerFilter', 'podSandboxId', 3],
    ['ContainerFilter', 'labelSelector', 4],
    ['ExecSyncResponse', 'exitCode', 3],
    ['AttachRequest', 'tty', 3],
    ['AttachRequest', 'stdout', 4],
    ['Image', 'size', 4],
  ];
  for (const [msg, field, n] of expected) assert.equal(id(msg, field), n, `${msg}.${field}`);
});

test('calls on a closed client fail with UNAVAILABLE instead of throwing', async (t) => {
  const client = await fakeRuntime(t, { Version: (_call, cb) => cb(null, { version: '0.1.0' }) });
  client.close();
  client.close();
  await assert.rejects(client.runtime.version(), (e: unknown) => e instanceof CriError && e.code === CriCode.Unavailable);
});
