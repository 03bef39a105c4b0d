/**
 * scheduler — binds new pods to berth's one node, as kube-scheduler would:
 * pods with no spec.nodeName and schedulerName `default-scheduler` are bound
 * (spec.nodeName + PodScheduled) and a `Scheduled` event is recorded from
 * `default-scheduler`. Pods naming another scheduler stay Pending, as on a
 * cluster without that scheduler.
 *
 * State: none. Loop: a watch of unbound pods; each binding is one synchronous
 * registry write.
 */
import type { Pod } from '../api/api.ts';
import { EventRecorder, type Client } from '../client/client.ts';

export interface SchedulerOptions {
  client: Client;
  nodeName: string;
  now?: () => number;
  log?: (msg: string) => void;
}

export class Scheduler {
  #o: SchedulerOptions;
  #recorder: EventRecorder;
  #stop: (() => void) | undefined;

  constructor(opts: SchedulerOptions) {
    this.#o = opts;
    this.#recorder = new EventRecorder(opts.client.events, { component: 'default-scheduler' }, opts.now);
  }

  start(signal?: AbortSignal): void {
    if (this.#stop) return;
    const pending: Pod[] = [];
    let inWatch = true;
    this.#stop = this.#o.client.pods.watch('spec.nodeName=', (e) => {
      if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
      // Bind outside the store's delivery: a write inside a watch callback
      // would nest store writes.
      pending.push(e.object as Pod);
      if (!inWatch) queueMicrotask(() => this.#drain(pending));
    });
    inWatch = false;
    queueMicrotask(() => this.#drain(pending));
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  #drain(pending: Pod[]): void {
    for (const pod of pending.splice(0)) this.#schedule(pod);
  }

  #schedule(pod: Pod): void {
    const m = pod.metadata!;
    if (pod.spec?.nodeName || m.deletionTimestamp) return;
    if ((pod.spec?.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return;
    const cur = this.#o.client.pods.get(m.namespace!, m.name!);
    if (!cur || cur.metadata?.uid !== m.uid || cur.spec?.nodeName) return;
    try {
      this.#o.client.pods.bind(m.namespace!, m.name!, this.#o.nodeName);
    } catch (err) {
      this.#o.log?.(`binding pod ${m.namespace}/${m.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.#recorder.record(
      { kind: 'Pod', namespace: m.namespace!, name: m.name!, uid: m.uid!, apiVersion: 'v1' },
      'Normal',
      'Scheduled',
      `Successfully assigned ${m.namespace}/${m.name} to ${this.#o.nodeName}`,
    );
  }
}
