/**
 * The CRI runtime contract: what berth relies on a `RuntimeService` to do,
 * as one suite every implementation runs — the gRPC client against a real
 * containerd 1.6 (runtime-contract.test.ts) and the kubelet's in-memory fake
 * (kubelet/runtime/fake-runtime.test.ts). A behaviour of containerd the
 * kubelet depends on belongs here, so the fake cannot drift from it.
 *
 * Covered: Version; sandboxes (run, status, list with label/id/state
 * filters, stop, remove; host-network sandboxes have no IP); containers
 * (create, start, status, list with label/sandbox/state/id filters, stop with
 * and without a grace period, remove; exit codes and reasons; name
 * reservation); NotFound for unknown objects where containerd says so, and
 * success where containerd is idempotent; ExecSync.
 *
 * Not covered: streaming (Exec, Attach, PortForward URLs), logs, images.
 *
 * Every container the suite makes runs `workerCommand`: it exits with the
 * code written to /exit-code, and exits 143 on SIGTERM. `exit` in the
 * harness makes it exit (through ExecSync on a real runtime; a fake uses its
 * own hook). Each test removes what it created.
 */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CriCode, CriError } from './errors.ts';
import type { ContainerConfig, PodSandboxConfig, RuntimeService } from './types.ts';

export interface RuntimeUnderTest {
  runtime: RuntimeService;
  /** An image present in the runtime, with `sh` and `sleep` (busybox), by its full name (its first repo tag). */
  image: string;
  /** The same image's id (`sha256:…`). */
  imageId: string;
  /** A directory for the sandboxes' log directories. */
  logRoot: string;
  /** Makes the process of a running container exit with `code`; resolves once ContainerStatus says EXITED. */
  exit(containerId: string, code: number): Promise<void>;
  /** Whether ExecSync runs the command (a fake answers without running anything). */
  execRunsCommands: boolean;
}

/** Exits with the code written to /exit-code; exits 143 on SIGTERM (within 0.1 s). */
export const workerCommand = ['sh', '-c', "trap 'exit 143' TERM; while [ ! -e /exit-code ]; do sleep 0.1; done; exit $(cat /exit-code)"];

/** ExecSync arguments that make a `workerCommand` container exit with `code`. */
export function exitCommand(code: number): string[] {
  return ['sh', '-c', `echo ${code} > /exit-code`];
}

const rejectsWith = async (p: Promise<unknown>, code: string, message?: RegExp) =>
  assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof CriError, `a CriError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });

/** Runs the contract as subtests of `t`. */
export async function runtimeContract(t: TestContext, rt: RuntimeUnderTest): Promise<void> {
  const suite = randomBytes(4).toString('hex');
  const mine = { 'berth.test/contract': suite };
  const { runtime } = rt;

  const sandboxConfig = (name: string, over: Partial<PodSandboxConfig> = {}): PodSandboxConfig => ({
    metadata: { name, uid: `uid-${name}-${suite}`, namespace: 'contract', attempt: 0 },
    hostname: name,
    logDirectory: join(rt.logRoot, name),
    labels: { ...mine, 'berth.test/pod': name },
    annotations: { 'berth.test/note': `sandbox ${name}` },
    linux: { securityContext: { namespaceOptions: { pid: 'CONTAINER' } } },
    ...over,
  });
  const containerConfig = (name: string, over: Partial<ContainerConfig> = {}): ContainerConfig => ({
    metadata: { name, attempt: 0 },
    image: { image: rt.image },
    command: workerCommand,
    logPath: `${name}/0.log`,
    labels: { ...mine, 'berth.test/container': name },
    annotations: { 'berth.test/note': `container ${name}` },
    ...over,
  });

  /** A ready sandbox, stopped and removed after the test. */
  const sandbox = async (tt: TestContext, name: string, over: Partial<PodSandboxConfig> = {}) => {
    const config = sandboxConfig(name, over);
    const id = await runtime.runPodSandbox(config);
    tt.after(async () => {
      await runtime.stopPodSandbox(id).catch(() => {});
      await runtime.removePodSandbox(id);
    });
    return { id, config };
  };
  const created = async (sb: { id: string; config: PodSandboxConfig }, name: string, over: Partial<ContainerConfig> = {}) =>
    runtime.createContainer(sb.id, containerConfig(name, over), sb.config);
  const started = async (sb: { id: string; config: PodSandboxConfig }, name: string) => {
    const id = await created(sb, name);
    await runtime.startContainer(id);
    return id;
  };
  const unknownId = 'f'.repeat(64);

  await t.test('Version names the runtime and CRI v1', async () => {
    const v = await runtime.version();
    assert.equal(v.runtimeName, 'containerd');
    assert.equal(v.runtimeApiVersion, 'v1');
    assert.ok(v.runtimeVersion);
  });

  await t.test('RunPodSandbox makes a READY sandbox with its metadata, labels, annotations and an IP, as status and list report it', async (tt) => {
    const sb = await sandbox(tt, 'alpha');
    const st = await runtime.podSandboxStatus(sb.id);
    assert.equal(st.id, sb.id);
    assert.equal(st.state, 'SANDBOX_READY');
    assert.deepEqual(st.metadata, sb.config.metadata);
    assert.deepEqual(st.labels, sb.config.labels);
    assert.deepEqual(st.annotations, sb.config.annotations);
    assert.ok(st.createdAt > 0);
    assert.match(st.ip, /^\d+\.\d+\.\d+\.\d+$/);
    const listed = await runtime.listPodSandbox({ labelSelector: mine });
    assert.deepEqual(
      listed.map((s) => [s.id, s.state, s.metadata.attempt, s.createdAt]),
      [[sb.id, 'SANDBOX_READY', 0, st.createdAt]],
    );
    assert.deepEqual(listed[0].labels, sb.config.labels);
  });

  await t.test('a sandbox in the node network namespace reports no IP', async (tt) => {
    const sb = await sandbox(tt, 'hostnet', {
      hostname: undefined,
      linux: { securityContext: { namespaceOptions: { network: 'NODE', pid: 'CONTAINER' } } },
    });
    const st = await runtime.podSandboxStatus(sb.id);
    assert.equal(st.state, 'SANDBOX_READY');
    assert.equal(st.ip, '');
  });

  await t.test('StopPodSandbox makes the sandbox NOTREADY without an IP and kills its running containers (137); it may be repeated', async (tt) => {
    const sb = await sandbox(tt, 'bravo');
    const id = await started(sb, 'main');
    await runtime.stopPodSandbox(sb.id);
    const st = await runtime.podSandboxStatus(sb.id);
    assert.equal(st.state, 'SANDBOX_NOTREADY');
    assert.equal(st.ip, '');
    const c = await runtime.containerStatus(id);
    assert.equal(c.state, 'CONTAINER_EXITED');
    assert.equal(c.exitCode, 137);
    await runtime.stopPodSandbox(sb.id);
    assert.deepEqual((await runtime.listPodSandbox({ labelSelector: mine })).map((s) => s.state), ['SANDBOX_NOTREADY']);
  });

  await t.test('RemovePodSandbox removes the sandbox with its containers, running or not, and succeeds for an unknown id', async () => {
    const config = sandboxConfig('charlie');
    const id = await runtime.runPodSandbox(config);
    const running = await started({ id, config }, 'running');
    const createdOnly = await created({ id, config }, 'created');
    await runtime.removePodSandbox(id);
    assert.deepEqual(await runtime.listPodSandbox({ labelSelector: mine }), []);
    assert.deepEqual(await runtime.listContainers({ labelSelector: mine }), []);
    await rejectsWith(runtime.containerStatus(running), CriCode.NotFound);
    await rejectsWith(runtime.containerStatus(createdOnly), CriCode.NotFound);
    await rejectsWith(runtime.podSandboxStatus(id), CriCode.NotFound);
    await runtime.removePodSandbox(id);
    await runtime.removePodSandbox(unknownId);
  });

  await t.test('PodSandboxStatus and StopPodSandbox fail NotFound for an unknown sandbox', async () => {
    await rejectsWith(runtime.podSandboxStatus(unknownId), CriCode.NotFound);
    await rejectsWith(runtime.stopPodSandbox(unknownId), CriCode.NotFound);
  });

  await t.test('ListPodSandbox filters by label selector, id and state', async (tt) => {
    const a = await sandbox(tt, 'list-a');
    const b = await sandbox(tt, 'list-b');
    await runtime.stopPodSandbox(b.id);
    const ids = async (filter: Parameters<RuntimeService['listPodSandbox']>[0]) => (await runtime.listPodSandbox(filter)).map((s) => s.id).sort();
    assert.deepEqual(await ids({ labelSelector: mine }), [a.id, b.id].sort());
    assert.deepEqual(await ids({ labelSelector: { ...mine, 'berth.test/pod': 'list-a' } }), [a.id]);
    assert.deepEqual(await ids({ labelSelector: { ...mine, 'berth.test/pod': 'nobody' } }), []);
    assert.deepEqual(await ids({ labelSelector: mine, id: b.id }), [b.id]);
    assert.deepEqual(await ids({ labelSelector: mine, state: 'SANDBOX_READY' }), [a.id]);
    assert.deepEqual(await ids({ labelSelector: mine, state: 'SANDBOX_NOTREADY' }), [b.id]);
    assert.deepEqual(await ids({ labelSelector: mine, id: a.id, state: 'SANDBOX_NOTREADY' }), []);
  });

  await t.test('RunPodSandbox refuses a name, namespace, uid and attempt already taken', async (tt) => {
    const sb = await sandbox(tt, 'twin');
    const m = sb.config.metadata;
    await rejectsWith(runtime.runPodSandbox(sb.config), CriCode.Unknown, new RegExp(`failed to reserve sandbox name "${m.name}_${m.namespace}_${m.uid}_0"`));
    const next = await runtime.runPodSandbox({ ...sb.config, metadata: { ...sb.config.metadata, attempt: 1 } });
    await runtime.stopPodSandbox(next);
    await runtime.removePodSandbox(next);
  });

  await t.test('CreateContainer makes a CREATED container with its metadata, labels, annotations, image and log path', async (tt) => {
    const sb = await sandbox(tt, 'delta');
    const config = containerConfig('main', { metadata: { name: 'main', attempt: 3 } });
    const id = await runtime.createContainer(sb.id, config, sb.config);
    const st = await runtime.containerStatus(id);
    assert.equal(st.id, id);
    assert.equal(st.state, 'CONTAINER_CREATED');
    assert.deepEqual(st.metadata, { name: 'main', attempt: 3 });
    assert.deepEqual(st.labels, config.labels);
    assert.deepEqual(st.annotations, config.annotations);
    assert.equal(st.image, rt.image);
    const repository = rt.image.replace(/:[^:/]+$/, '');
    assert.ok(st.imageRef.startsWith(`${repository}@sha256:`), `imageRef ${st.imageRef} is the repo digest`);
    assert.equal(st.logPath, join(sb.config.logDirectory!, 'main/0.log'));
    assert.ok(st.createdAt > 0);
    assert.equal(st.startedAt, 0);
    assert.equal(st.finishedAt, 0);
    assert.equal(st.exitCode, 0);
    assert.equal(st.reason, '');
    const [listed] = await runtime.listContainers({ labelSelector: mine });
    assert.equal(listed.id, id);
    assert.equal(listed.podSandboxId, sb.id);
    assert.equal(listed.state, 'CONTAINER_CREATED');
    assert.deepEqual(listed.metadata, { name: 'main', attempt: 3 });
    assert.equal(listed.image, rt.image);
    assert.equal(listed.imageRef, rt.imageId);
    assert.equal(listed.createdAt, st.createdAt);
    assert.deepEqual(listed.labels, config.labels);
    assert.deepEqual(listed.annotations, config.annotations);
  });

  await t.test('a container created from an image id reports the image by tag and digest in its status and by id in the list', async (tt) => {
    const sb = await sandbox(tt, 'byid');
    const id = await created(sb, 'main', { image: { image: rt.imageId } });
    const st = await runtime.containerStatus(id);
    assert.equal(st.image, rt.image);
    assert.match(st.imageRef, /@sha256:[0-9a-f]+$/);
    const [listed] = await runtime.listContainers({ id });
    assert.equal(listed.image, rt.imageId);
    assert.equal(listed.imageRef, rt.imageId);
  });

  await t.test('CreateContainer refuses a name and attempt already taken in the sandbox until that container is removed', async (tt) => {
    const sb = await sandbox(tt, 'echo');
    const first = await created(sb, 'main');
    const m = sb.config.metadata;
    await rejectsWith(created(sb, 'main'), CriCode.Unknown, new RegExp(`failed to reserve container name "main_${m.name}_${m.namespace}_${m.uid}_0"`));
    const next = await created(sb, 'main', { metadata: { name: 'main', attempt: 1 } });
    assert.notEqual(next, first);
    await runtime.removeContainer(first);
    await created(sb, 'main');
  });

  await t.test('CreateContainer fails NotFound in a stopped sandbox and in an unknown one', async (tt) => {
    const sb = await sandbox(tt, 'foxtrot');
    await runtime.stopPodSandbox(sb.id);
    await rejectsWith(created(sb, 'main'), CriCode.NotFound, /failed to get sandbox container task/);
    await rejectsWith(runtime.createContainer(unknownId, containerConfig('main'), sb.config), CriCode.NotFound);
  });

  await t.test('StartContainer runs a created container once: RUNNING with a start time; a running or exited one does not start again', async (tt) => {
    const sb = await sandbox(tt, 'golf');
    const id = await started(sb, 'main');
    const st = await runtime.containerStatus(id);
    assert.equal(st.state, 'CONTAINER_RUNNING');
    assert.ok(st.startedAt > 0);
    assert.equal(st.finishedAt, 0);
    assert.equal(st.reason, '');
    await rejectsWith(runtime.startContainer(id), CriCode.Unknown, /container is in CONTAINER_RUNNING state/);
    await rt.exit(id, 0);
    await rejectsWith(runtime.startContainer(id), CriCode.Unknown, /container is in CONTAINER_EXITED state/);
    assert.equal((await runtime.containerStatus(id)).state, 'CONTAINER_EXITED');
  });

  await t.test('an exited container reports its exit code, Completed for 0 and Error otherwise, and a finish time', async (tt) => {
    const sb = await sandbox(tt, 'hotel');
    const ok = await started(sb, 'ok');
    const bad = await started(sb, 'bad');
    await rt.exit(ok, 0);
    await rt.exit(bad, 3);
    const okStatus = await runtime.containerStatus(ok);
    assert.deepEqual([okStatus.state, okStatus.exitCode, okStatus.reason], ['CONTAINER_EXITED', 0, 'Completed']);
    assert.ok(okStatus.finishedAt > 0);
    const badStatus = await runtime.containerStatus(bad);
    assert.deepEqual([badStatus.state, badStatus.exitCode, badStatus.reason], ['CONTAINER_EXITED', 3, 'Error']);
    assert.ok(badStatus.finishedAt > 0);
    assert.deepEqual((await runtime.listContainers({ labelSelector: mine })).map((c) => c.state), ['CONTAINER_EXITED', 'CONTAINER_EXITED']);
    await rejectsWith(runtime.execSync(bad, ['true'], 5), CriCode.Unknown, /container is in CONTAINER_EXITED state/);
  });

  await t.test('StopContainer kills at once with no grace (137), lets a process that exits on SIGTERM do so (143), and leaves exited and created containers as they are', async (tt) => {
    const sb = await sandbox(tt, 'india');
    const killed = await started(sb, 'killed');
    await runtime.stopContainer(killed, 0);
    assert.deepEqual(await exitOf(killed), ['CONTAINER_EXITED', 137, 'Error']);
    const termed = await started(sb, 'termed');
    await runtime.stopContainer(termed, 10);
    assert.deepEqual(await exitOf(termed), ['CONTAINER_EXITED', 143, 'Error']);
    await runtime.stopContainer(termed, 10);
    assert.deepEqual(await exitOf(termed), ['CONTAINER_EXITED', 143, 'Error']);
    const idle = await created(sb, 'idle');
    await runtime.stopContainer(idle, 10);
    assert.equal((await runtime.containerStatus(idle)).state, 'CONTAINER_CREATED');
  });
  async function exitOf(id: string) {
    const s = await runtime.containerStatus(id);
    return [s.state, s.exitCode, s.reason];
  }

  await t.test('RemoveContainer removes a container, running or exited, and succeeds for one already gone', async (tt) => {
    const sb = await sandbox(tt, 'juliet');
    const running = await started(sb, 'running');
    const exited = await started(sb, 'exited');
    await rt.exit(exited, 0);
    await runtime.removeContainer(running);
    await runtime.removeContainer(exited);
    await rejectsWith(runtime.containerStatus(running), CriCode.NotFound);
    await rejectsWith(runtime.containerStatus(exited), CriCode.NotFound);
    assert.deepEqual(await runtime.listContainers({ labelSelector: mine }), []);
    await runtime.removeContainer(running);
    await runtime.removeContainer(unknownId);
  });

  await t.test('ContainerStatus, StartContainer, StopContainer and ExecSync fail NotFound for an unknown container', async () => {
    await rejectsWith(runtime.containerStatus(unknownId), CriCode.NotFound);
    await rejectsWith(runtime.startContainer(unknownId), CriCode.NotFound);
    await rejectsWith(runtime.stopContainer(unknownId, 0), CriCode.NotFound);
    await rejectsWith(runtime.execSync(unknownId, ['true'], 5), CriCode.NotFound);
  });

  await t.test('ListContainers filters by label selector, sandbox, state and id', async (tt) => {
    const one = await sandbox(tt, 'kilo');
    const two = await sandbox(tt, 'lima');
    const a = await started(one, 'a');
    const b = await created(one, 'b');
    const c = await started(two, 'c');
    await rt.exit(c, 1);
    const ids = async (filter: Parameters<RuntimeService['listContainers']>[0]) => (await runtime.listContainers(filter)).map((x) => x.id).sort();
    assert.deepEqual(await ids({ labelSelector: mine }), [a, b, c].sort());
    assert.deepEqual(await ids({ labelSelector: { ...mine, 'berth.test/container': 'b' } }), [b]);
    assert.deepEqual(await ids({ labelSelector: mine, podSandboxId: one.id }), [a, b].sort());
    assert.deepEqual(await ids({ labelSelector: mine, state: 'CONTAINER_RUNNING' }), [a]);
    assert.deepEqual(await ids({ labelSelector: mine, state: 'CONTAINER_CREATED' }), [b]);
    assert.deepEqual(await ids({ labelSelector: mine, state: 'CONTAINER_EXITED' }), [c]);
    assert.deepEqual(await ids({ labelSelector: mine, id: c }), [c]);
    assert.deepEqual(await ids({ labelSelector: mine, podSandboxId: two.id, state: 'CONTAINER_RUNNING' }), []);
    const [listed] = await runtime.listContainers({ id: a });
    assert.equal(listed.podSandboxId, one.id);
  });

  await t.test('ExecSync runs a command in a running container and returns its stdout, stderr and exit code', { skip: !rt.execRunsCommands && 'the runtime runs no commands' }, async (tt) => {
    const sb = await sandbox(tt, 'mike');
    const id = await started(sb, 'main');
    const r = await runtime.execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 3'], 10);
    assert.equal(r.stdout.toString(), 'out\n');
    assert.equal(r.stderr.toString(), 'err\n');
    assert.equal(r.exitCode, 3);
    assert.equal((await runtime.execSync(id, ['true'], 0)).exitCode, 0);
  });

  await t.test('ExecSync of a command that outlives its timeout fails DeadlineExceeded', { skip: !rt.execRunsCommands && 'the runtime runs no commands' }, async (tt) => {
    const sb = await sandbox(tt, 'november');
    const id = await started(sb, 'main');
    await rejectsWith(runtime.execSync(id, ['sleep', '10'], 1), CriCode.DeadlineExceeded);
  });

  await t.test('ExecSync fails for a container that is not running', async (tt) => {
    const sb = await sandbox(tt, 'oscar');
    const id = await created(sb, 'main');
    await rejectsWith(runtime.execSync(id, ['true'], 5), CriCode.Unknown, /failed to exec in container: container is in CONTAINER_CREATED state/);
  });
}
