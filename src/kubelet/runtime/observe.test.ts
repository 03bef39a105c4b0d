import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../clock/fake-clock.ts';
import { FakeRuntime } from './fake-runtime.ts';
import { Label } from './labels.ts';
import { RuntimeObserver } from './observe.ts';

async function runningContainer(runtime: FakeRuntime) {
  const sandboxConfig = { metadata: { name: 'p', namespace: 'default', uid: 'u1', attempt: 0 }, labels: { [Label.podUid]: 'u1' } };
  const sb = await runtime.runPodSandbox(sandboxConfig);
  const id = await runtime.createContainer(
    sb,
    { metadata: { name: 'init', attempt: 0 }, image: { image: 'busybox' }, labels: { [Label.podUid]: 'u1', [Label.containerName]: 'init' } },
    sandboxConfig,
  );
  await runtime.startContainer(id);
  return id;
}

test('observer reports a container exited from its exit event before CRI catches up', async () => {
  const clock = new FakeClock(1_000_000);
  const runtime = new FakeRuntime(clock);
  const id = await runningContainer(runtime);
  const observer = new RuntimeObserver(runtime);
  assert.equal((await observer.observe('u1')).containers[0].state, 'running');

  // containerd's event says exit 3 at t; CRI still says running.
  observer.noteExit(id, 3, 1_000_500);
  const c = (await observer.observe('u1')).containers[0];
  assert.equal(c.state, 'exited');
  assert.equal(c.exitCode, 3);
  assert.equal(c.reason, 'Error');
  assert.equal(c.finishedAt, 1_000_500);
});

test('observer names an OOM kill from the TaskOOM event that came before the exit', async () => {
  const runtime = new FakeRuntime(new FakeClock(5));
  const id = await runningContainer(runtime);
  const observer = new RuntimeObserver(runtime);
  observer.noteOom(id);
  observer.noteExit(id, 137, 9);
  assert.equal((await observer.observe('u1')).containers[0].reason, 'OOMKilled');
});

test('observer uses CRI status again once CRI agrees the container exited', async () => {
  const runtime = new FakeRuntime(new FakeClock(7));
  const id = await runningContainer(runtime);
  const observer = new RuntimeObserver(runtime);
  observer.noteExit(id, 0, 6);
  runtime.exit('init', 0);
  const c = (await observer.observe('u1')).containers[0];
  assert.equal(c.state, 'exited');
  assert.equal(c.reason, 'Completed');
  assert.equal(c.finishedAt, 7, 'the finish time now comes from CRI');
});

test('observer drops what it cached about a container once the runtime stops listing it', async () => {
  const runtime = new FakeRuntime(new FakeClock(11));
  await runningContainer(runtime);
  runtime.exit('init', 0);
  const statusCalls: string[] = [];
  const containerStatus = runtime.containerStatus.bind(runtime);
  runtime.containerStatus = (id) => {
    statusCalls.push(id);
    return containerStatus(id);
  };
  const listContainers = runtime.listContainers.bind(runtime);
  let hidden = false;
  runtime.listContainers = async (f) => (hidden ? [] : listContainers(f));
  const observer = new RuntimeObserver(runtime);
  await observer.observe('u1');
  await observer.observe('u1');
  assert.equal(statusCalls.length, 1, 'an exited status is read once and cached');
  hidden = true;
  assert.deepEqual((await observer.observe('u1')).containers, []);
  hidden = false;
  assert.equal((await observer.observe('u1')).containers[0].state, 'exited');
  assert.equal(statusCalls.length, 2, 'the cache entry went when the runtime stopped listing the container');
});
