/**
 * pleg — pod lifecycle events: turns containerd's task events into "this pod
 * changed" wake-ups, with a periodic relist as the safety net for anything the
 * event stream missed (berth down, containerd restarted).
 *
 * State: a map from container/sandbox id to pod UID and each pod's runtime
 * objects with their states, both rebuilt by each relist.
 * Loops: the event subscription (reconnects on its own) and the relist timer
 * (on the injected clock).
 */
import type { ContainerEvent, ContainerEventSource, RuntimeService } from '../../cri/types.ts';
import { every, systemClock, type Clock } from '../../clock/clock.ts';
import { Label } from '../runtime/labels.ts';

export interface PlegOptions {
  runtime: RuntimeService;
  events: ContainerEventSource;
  /** Called with the UID of every pod that may have changed, and the event that says so. */
  onPodChange: (uid: string, event?: ContainerEvent) => void;
  relistEveryMs?: number;
  clock?: Clock;
  log?: (msg: string) => void;
}

export class Pleg {
  #o: PlegOptions;
  #owner = new Map<string, string>();
  #stopRelists: (() => void) | undefined;
  #ac = new AbortController();
  #relisting: Promise<void> | undefined;
  /** Per pod UID, the ids and states of its runtime objects at the last relist. */
  #fingerprints = new Map<string, string>();

  constructor(opts: PlegOptions) {
    this.#o = opts;
  }

  async start(signal?: AbortSignal): Promise<void> {
    signal?.addEventListener('abort', () => this.stop(), { once: true });
    this.#o.events.subscribe((e) => this.#onEvent(e), this.#ac.signal);
    await this.relist();
    this.#stopRelists = every(this.#o.clock ?? systemClock, this.#o.relistEveryMs ?? 10_000, () => void this.relist().catch(() => {}));
  }

  stop(): void {
    this.#ac.abort();
    this.#stopRelists?.();
    this.#stopRelists = undefined;
  }

  #onEvent(e: ContainerEvent): void {
    const uid = this.#owner.get(e.id);
    if (uid) {
      this.#o.onPodChange(uid, e);
      if (e.type === 'deleted') this.#owner.delete(e.id);
      return;
    }
    if (e.type === 'deleted') return;
    // Not seen yet (the event can beat CreateContainer's answer): ask the
    // runtime whose it is; relist if that fails.
    void this.#resolve(e.id).then((owner) => {
      if (owner) {
        this.#owner.set(e.id, owner);
        this.#o.onPodChange(owner, e);
      } else if (owner === undefined) {
        void this.relist();
      }
    });
  }

  /** The pod UID of a container or sandbox; null if it is not berth's; undefined if unknown. */
  async #resolve(id: string): Promise<string | null | undefined> {
    for (const read of [() => this.#o.runtime.containerStatus(id), () => this.#o.runtime.podSandboxStatus(id)]) {
      try {
        const labels = (await read()).labels;
        return labels[Label.managedBy] === 'true' ? (labels[Label.podUid] ?? null) : null;
      } catch {
        // Try the next kind of object.
      }
    }
    return undefined;
  }

  /** Lists every berth sandbox and container and wakes their pods. */
  relist(): Promise<void> {
    this.#relisting ??= (async () => {
      try {
        const selector = { [Label.managedBy]: 'true' };
        const [sandboxes, containers] = await Promise.all([
          this.#o.runtime.listPodSandbox({ labelSelector: selector }),
          this.#o.runtime.listContainers({ labelSelector: selector }),
        ]);
        const owner = new Map<string, string>();
        const parts = new Map<string, string[]>();
        const note = (uid: string, id: string, state: string) => {
          owner.set(id, uid);
          let p = parts.get(uid);
          if (!p) parts.set(uid, (p = []));
          p.push(`${id}=${state}`);
        };
        for (const s of sandboxes) note(s.labels[Label.podUid], s.id, s.state);
        for (const c of containers) note(c.labels[Label.podUid], c.id, c.state);
        this.#owner = owner;
        // Like the kubelet's PLEG, wake only pods whose runtime objects changed
        // since the last relist (or vanished); the kubelet's own resync covers
        // the rest, so an idle node stays idle.
        const fingerprints = new Map<string, string>();
        for (const [uid, p] of parts) fingerprints.set(uid, p.sort().join(','));
        for (const [uid, fp] of fingerprints) if (this.#fingerprints.get(uid) !== fp) this.#o.onPodChange(uid);
        for (const uid of this.#fingerprints.keys()) if (!fingerprints.has(uid)) this.#o.onPodChange(uid);
        this.#fingerprints = fingerprints;
      } catch (err) {
        this.#o.log?.(`relist failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        this.#relisting = undefined;
      }
    })();
    return this.#relisting;
  }
}
