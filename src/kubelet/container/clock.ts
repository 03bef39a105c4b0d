/**
 * Time as the node agent sees it (upstream: k8s.io/utils/clock). Injected
 * everywhere a kubelet component reads the time, so tests drive it.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
