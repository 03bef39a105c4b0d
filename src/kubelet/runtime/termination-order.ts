/**
 * Sidecar termination ordering (kubelet `kuberuntime_termination_order.go`):
 * during a pod kill every container starts stopping at once, but a sidecar
 * gets its stop signal only after all regular containers and every sidecar
 * declared after it have exited, bounded by the remaining grace period
 * (measured on the injected clock).
 */
import type { Pod } from '../../api/api.ts';
import { sleep, type Clock } from '../../clock/clock.ts';
import { isSidecar } from '../container/pod-predicates.ts';

interface Gate {
  promise: Promise<void>;
  open: () => void;
}

function gate(opened: boolean): Gate {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  if (opened) open();
  return { promise, open };
}

export class TerminationOrdering {
  #terminated = new Map<string, Gate>();
  #prereqs = new Map<string, Promise<void>[]>();
  #clock: Clock;

  constructor(pod: Pod, runningNames: Iterable<string>, clock: Clock) {
    this.#clock = clock;
    const running = new Set(runningNames);
    const mains: Promise<void>[] = [];
    for (const c of pod.spec!.containers) {
      const g = gate(!running.has(c.name));
      this.#terminated.set(c.name, g);
      mains.push(g.promise);
    }
    let laterSidecar: string | undefined;
    const inits = pod.spec!.initContainers ?? [];
    for (let i = inits.length - 1; i >= 0; i--) {
      const ic = inits[i];
      this.#terminated.set(ic.name, gate(!running.has(ic.name)));
      if (isSidecar(ic)) {
        const deps = [...mains];
        if (laterSidecar) deps.push(this.#terminated.get(laterSidecar)!.promise);
        this.#prereqs.set(ic.name, deps);
        laterSidecar = ic.name;
      }
    }
  }

  /** Waits for this container's turn, at most `graceSeconds`; resolves with the seconds waited. */
  async waitForTurn(name: string, graceSeconds: number): Promise<number> {
    const deps = this.#prereqs.get(name);
    if (!deps || deps.length === 0) return 0;
    const start = this.#clock.now();
    const turn = new AbortController();
    await Promise.race([Promise.all(deps), sleep(this.#clock, graceSeconds * 1000, turn.signal).catch(() => {})]);
    turn.abort();
    return (this.#clock.now() - start) / 1000;
  }

  containerTerminated(name: string): void {
    this.#terminated.get(name)?.open();
  }
}
