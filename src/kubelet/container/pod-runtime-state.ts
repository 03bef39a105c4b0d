/**
 * What the runtime says about one pod: its sandboxes and every container
 * instance, newest first. Built from CRI by runtime/observe.ts; read by the
 * planner, the status generator and the prober. Plain data, no behaviour
 * (upstream: `kubecontainer.PodStatus`, pkg/kubelet/container/runtime.go).
 */

export type RuntimeContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface RuntimeContainer {
  id: string;
  sandboxId: string;
  name: string;
  state: RuntimeContainerState;
  restartCount: number;
  hash: string;
  kind: 'init' | 'sidecar' | 'regular' | '';
  image: string;
  imageRef: string;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  logPath: string;
  annotations: Record<string, string>;
}

export interface RuntimeSandbox {
  id: string;
  ready: boolean;
  attempt: number;
  createdAt: number;
  ip: string;
  hostNetwork: boolean;
}

export interface PodRuntimeState {
  uid: string;
  /** Newest first. */
  sandboxes: RuntimeSandbox[];
  /** Newest first (by creation time, then restart count). */
  containers: RuntimeContainer[];
}

/** The newest instance of a named container, if any. */
export function latestContainer(state: PodRuntimeState, name: string): RuntimeContainer | undefined {
  return state.containers.find((c) => c.name === name);
}

/** All instances of a named container, newest first. */
export function instancesOf(state: PodRuntimeState, name: string): RuntimeContainer[] {
  return state.containers.filter((c) => c.name === name);
}
