/** Test support for the Job controller's tests: Job specs and pod outcomes written through the fixture's client. */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { ControllerFixture } from '../controller-fixture.ts';

const ns = 'default';

export function jobSpec(name: string, spec: Partial<Job['spec']> = {}, restartPolicy = 'Never'): Job {
  return {
    metadata: { name, namespace: ns },
    spec: { template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox:1.35' }] } }, ...spec },
  } as Job;
}

export function helpers(f: ControllerFixture) {
  const jobs = f.client.resource('jobs');
  const pods = f.client.resource('pods');
  const iso = () => new Date(f.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const h = {
    jobs,
    pods,
    job: (name: string) => jobs.get(ns, name)!,
    all: () => pods.list(ns).items.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!)),
    /** Pods neither terminal nor being deleted. */
    active: () => h.all().filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'),
    events: () => f.registry.events.list(ns).items.map((e) => [e.type, e.reason, e.message]),
    conditions: (name: string) => (h.job(name).status?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]),
    setStatus: (pod: Pod, status: PodStatus) => {
      f.client.pods.updateStatus(ns, pod.metadata!.name!, pod.metadata!.uid!, status);
    },
    succeed: (pod: Pod) =>
      h.setStatus(pod, {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'c', image: 'busybox:1.35', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: iso() } } }],
      }),
    fail: (pod: Pod, exitCode = 1, conditions: PodStatus['conditions'] = []) =>
      h.setStatus(pod, {
        phase: 'Failed',
        conditions,
        containerStatuses: [{ name: 'c', image: 'busybox:1.35', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, finishedAt: iso() } } }],
      }),
    /** Pod events reach the Job after the 1 s batching period. */
    tick: async (ms = 1000) => {
      await f.clock.settle();
      await f.clock.advance(ms);
    },
  };
  return h;
}

