/**
 * The prober's results as its two readers see them: the planner reads startup
 * and liveness results (they kill and restart containers), the status
 * generator startup and readiness (`started`, `ready`). The prober (prober/)
 * is their only writer; both views are keyed by container id, and an absent
 * result means "not probed yet".
 *
 * Upstream: pkg/kubelet/prober/results (`results.Manager`, `results.Result`).
 */

export type ProbeResult = 'success' | 'failure';

/** For the planner. */
export interface ProbeResults {
  startup: ReadonlyMap<string, ProbeResult>;
  liveness: ReadonlyMap<string, ProbeResult>;
}

export const noProbeResults: ProbeResults = { startup: new Map(), liveness: new Map() };

/** For the status generator. */
export interface ProbeView {
  startup(containerId: string): ProbeResult | undefined;
  readiness(containerId: string): ProbeResult | undefined;
}

export const noProbes: ProbeView = { startup: () => undefined, readiness: () => undefined };
