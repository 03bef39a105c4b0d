/**
 * One probe of one container (the kubelet's prober `worker`): runs the probe
 * on its schedule and turns attempts into a result through the thresholds.
 *
 * State machine, per container instance (a new container id starts over):
 *
 *   new instance   → result set to the initial value (readiness: failure,
 *                    liveness: success, startup: none); first attempt at
 *                    startedAt + initialDelaySeconds
 *   not running    → result failure; idle until the next instance
 *   terminating    → liveness and startup report success and stop for good
 *                    (readiness keeps probing while the pod shuts down)
 *   not started    → liveness and readiness wait (startupProbe not passed)
 *   started        → the startup probe stops probing this instance
 *   attempt        → `successThreshold` / `failureThreshold` consecutive
 *                    equal outcomes set the result; a liveness or startup
 *                    failure puts the worker on hold until a new instance
 *
 * Attempts are `periodSeconds` apart (from the start of the previous one).
 * Timers come from the injected `Clock` (unref'd: a probe schedule never
 * keeps the process alive), so tests drive the schedule without sleeping.
 * One attempt at a time.
 */
import type { Probe } from '../../api/api.ts';
import type { Clock, ClockTimer } from '../../clock/clock.ts';
import type { ProbeResult } from '../container/probe-results.ts';
import type { ProbeOutcome } from './run-probe.ts';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** What the worker knows of its container, as of the last pod sync. */
export interface ContainerView {
  /** '' until the container has been created. */
  containerId: string;
  running: boolean;
  /** Milliseconds since the epoch; 0 when not running. */
  startedAt: number;
  /** The instance exited and the pod policy is Never: it will not be replaced. */
  final: boolean;
}

/** The worker's link to its manager. */
export interface WorkerHost {
  container(): ContainerView;
  /** The pod is shutting down (deleted, deadline, completion). */
  terminating(): boolean;
  /** Whether the container passed its startupProbe (or has none). */
  started(containerId: string): boolean;
  /** One attempt, with retries for `unknown`, recording the Unhealthy events. */
  attempt(containerId: string): Promise<ProbeOutcome>;
  /**
   * Records the result for a container id; `undefined` forgets it. A silent
   * change (initial values, containers that stopped) wakes no pod: nothing
   * acts on it.
   */
  setResult(containerId: string, result: ProbeResult | undefined, silent: boolean): void;
}

const initialResult: Record<ProbeType, ProbeResult | undefined> = {
  readiness: 'failure',
  liveness: 'success',
  startup: undefined,
};

export class ProbeWorker {
  readonly type: ProbeType;
  #probe: Probe;
  #host: WorkerHost;
  #clock: Clock;
  #containerId = '';
  #onHold = false;
  #lastOutcome: ProbeResult | undefined;
  #run = 0;
  #nextAt = 0;
  #timer: ClockTimer | undefined;
  #busy = false;
  #again = false;
  #stopped = false;

  constructor(type: ProbeType, probe: Probe, host: WorkerHost, clock: Clock) {
    this.type = type;
    this.#probe = probe;
    this.#host = host;
    this.#clock = clock;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Re-evaluates now: the container changed or the pod started terminating. Keeps the schedule. */
  poke(): void {
    if (this.#stopped) return;
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#clear();
    void this.#evaluate();
  }

  /** Runs an attempt as soon as possible (the kubelet's manual trigger of a readiness probe). */
  trigger(): void {
    this.#nextAt = Math.min(this.#nextAt, this.#clock.now());
    this.poke();
  }

  stop(): void {
    this.#stopped = true;
    this.#clear();
  }

  #clear(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #at(when: number): void {
    this.#clear();
    this.#timer = this.#clock
      .setTimeout(
        () => {
          this.#timer = undefined;
          void this.#evaluate();
        },
        Math.max(0, when - this.#clock.now()),
      )
      .unref();
  }

  async #evaluate(): Promise<void> {
    if (this.#stopped || this.#busy) return;
    const c = this.#host.container();
    if (!c.containerId) return;
    const periodMs = (this.#probe.periodSeconds ?? 10) * 1000;

    if (c.containerId !== this.#containerId) {
      if (this.#containerId) this.#host.setResult(this.#containerId, undefined, true);
      this.#containerId = c.containerId;
      this.#host.setResult(c.containerId, initialResult[this.type], true);
      this.#onHold = false;
      this.#lastOutcome = undefined;
      this.#run = 0;
      this.#nextAt = c.startedAt + (this.#probe.initialDelaySeconds ?? 0) * 1000;
    }
    if (this.#onHold) return;
    if (!c.running) {
      this.#host.setResult(c.containerId, 'failure', true);
      return;
    }
    if (this.#host.terminating() && this.type !== 'readiness') {
      this.#host.setResult(c.containerId, 'success', false);
      this.stop();
      return;
    }
    const now = this.#clock.now();
    if (now < this.#nextAt) {
      this.#at(this.#nextAt);
      return;
    }
    const started = this.#host.started(c.containerId);
    if (this.type === 'startup' && started) return;
    if (this.type !== 'startup' && !started) {
      this.#nextAt = now + periodMs;
      this.#at(this.#nextAt);
      return;
    }

    this.#busy = true;
    const id = c.containerId;
    let outcome: ProbeOutcome;
    try {
      outcome = await this.#host.attempt(id);
    } finally {
      this.#busy = false;
    }
    this.#nextAt = now + periodMs;
    if (this.#stopped) return;
    if (id === this.#containerId && !this.#onHold && outcome.result !== 'unknown') {
      const result: ProbeResult = outcome.result === 'failure' ? 'failure' : 'success';
      if (this.#lastOutcome === result) this.#run++;
      else {
        this.#lastOutcome = result;
        this.#run = 1;
      }
      const threshold = result === 'failure' ? (this.#probe.failureThreshold ?? 3) : (this.#probe.successThreshold ?? 1);
      if (this.#run >= threshold) {
        this.#host.setResult(id, result, false);
        if (result === 'failure' && this.type !== 'readiness') {
          // The container will be killed: stop probing it until a new instance.
          this.#onHold = true;
          this.#run = 0;
        }
      }
    }
    if (this.#again) {
      this.#again = false;
      void this.#evaluate();
      return;
    }
    this.#at(this.#nextAt);
  }
}
