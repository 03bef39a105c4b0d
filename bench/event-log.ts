/**
 * containerd's task events for every container and sandbox of a node, kept by
 * id with containerd's own timestamps (epoch ms), and awaitable: the floor
 * waits for an init container's exit here, the trace reads when each task was
 * created, started and exited.
 */
import type { ContainerEvent, ContainerEventSource } from '../src/cri/types.ts';

export interface TaskTimes {
  created?: number;
  started?: number;
  exited?: number;
  /** When this process received the exit (Date.now()). */
  exitSeenAt?: number;
}

export class EventLog {
  #times = new Map<string, TaskTimes>();
  #waiters = new Map<string, Array<() => void>>();

  constructor(events: ContainerEventSource, signal: AbortSignal) {
    events.subscribe((e) => this.#on(e), signal);
  }

  #on(e: ContainerEvent): void {
    if (e.type !== 'created' && e.type !== 'started' && e.type !== 'exited') return;
    const t = this.#times.get(e.id) ?? {};
    t[e.type] = e.at;
    if (e.type === 'exited') {
      t.exitSeenAt = Date.now();
      for (const w of this.#waiters.get(e.id) ?? []) w();
      this.#waiters.delete(e.id);
    }
    this.#times.set(e.id, t);
  }

  times(id: string): TaskTimes {
    return this.#times.get(id) ?? {};
  }

  waitExit(id: string): Promise<void> {
    if (this.#times.get(id)?.exited !== undefined) return Promise.resolve();
    return new Promise((r) => this.#waiters.set(id, [...(this.#waiters.get(id) ?? []), r]));
  }

  /** Waits (up to `ms`) until `id` has the event `type`: events arrive a little after the call that caused them. */
  async waitFor(id: string, type: 'created' | 'started' | 'exited', ms = 1000): Promise<void> {
    for (let t = 0; t < ms && this.times(id)[type] === undefined; t += 10) await new Promise((r) => setTimeout(r, 10));
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.#times.delete(id);
  }
}
