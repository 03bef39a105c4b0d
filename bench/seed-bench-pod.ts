/**
 * The pod every latency benchmark runs: the seed pod's shape with trivial
 * init containers (2 × `true`) and two long-running app containers, so the
 * numbers measure berth and containerd, not the workload. The apps end at
 * once on SIGTERM (`wait` is interrupted; a `sleep 1` loop would hold every
 * teardown for up to a second).
 */
export const benchPodName = 'seed-bench';

export function benchPod(name = benchPodName, inits = 2, apps = 2): any {
  const c = (n: string, command: string[]) => ({ name: n, image: 'busybox:1.35', command });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { bench: 'berth' } },
    spec: {
      terminationGracePeriodSeconds: 2,
      initContainers: Array.from({ length: inits }, (_, i) => c(`init${i + 1}`, ['true'])),
      containers: Array.from({ length: apps }, (_, i) => c(`app${i + 1}`, ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"])),
    },
  };
}
