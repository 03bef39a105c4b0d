/**
 * start-slots — how many runtime starts (RunPodSandbox, CreateContainer,
 * StartContainer) run at once on this node.
 *
 * Past a few at a time, starting more at once makes every start slower:
 * runc, the shims and CNI contend for the CPUs and for the kernel's global
 * locks (mount namespaces, cgroups, netlink). Measured on a 2-core machine:
 * 100 pods (1 init + 1 app) issued at once over raw CRI were all running
 * after 20.5–23.1 s; the same pods with at most 4 or 8 in flight after
 * 16.1–16.3 s. So a few starts run at once (twice the CPUs, at least 2) and
 * the others wait their turn in arrival order. Every pod keeps its own
 * worker, and nothing else waits for a slot: stops, kills, removals, status
 * reads, image pulls, probes and hooks go straight to the runtime.
 *
 * State: the number of starts running and the queue of those waiting.
 */
import { availableParallelism } from 'node:os';

export class StartSlots {
  readonly size: number;
  #running = 0;
  #waiting: (() => void)[] = [];

  constructor(size = Math.max(2, 2 * availableParallelism())) {
    if (!(size >= 1)) throw new Error(`start slots: size must be at least 1, not ${size}`);
    this.size = size;
  }

  /** Starts running now plus starts waiting for a slot. */
  get pending(): number {
    return this.#running + this.#waiting.length;
  }

  /** Runs `start` once a slot is free; the slot is given back however it ends. */
  async run<T>(start: () => Promise<T>): Promise<T> {
    if (this.#running >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await start();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next in line (the count stays); else it is freed.
      if (next) next();
      else this.#running--;
    }
  }
}
