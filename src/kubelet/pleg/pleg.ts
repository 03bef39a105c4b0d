/**
 * pleg — pod lifecycle events: turns containerd's task events into "this pod
 * changed" wake-ups, with a periodic relist as the safety net for anything the
 * event stream missed (berth down, containerd restarted).
 *
 * State: every runtime object berth knows (container or sandbox id → its pod
 * UID, kind and CRI state), rebuilt by each relist and kept current by the
 * events in between, so a relist wakes only pods whose objects changed
 * without an event saying so (after mass creation, the first relist finds
 * nothing to do: every change came as an event and was synced then).
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

export type Kind = 'sandbox' | 'container';

interface Known {
  uid: string;
  kind: Kind;
  /** CRI's state name (CONTAINER_RUNNING, SANDBOX_READY, …) as last listed or implied by an event. */
  state: string;
}

/** The CRI state an event implies for an object of `kind`; undefined where it changes none (task deleted, OOM). */
export function stateAfter(kind: Kind, type: ContainerEvent['type']): string | undefined {
  if (kind === 'sandbox') return type === 'started' ? 'SANDBOX_READY' : type === 'exited' ? 'SANDBOX_NOTREADY' : undefined;
  return { created: 'CONTAINER_CREATED', started: 'CONTAINER_RUNNING', exited: 'CONTAINER_EXITED' }[type as string];
}

export class Pleg {
  #o: PlegOptions;
  /** Every berth runtime object by id: its pod, kind and state (see the owner comment). */
  #known = new Map<string, Known>();
  #stopRelists: (() => void) | undefined;
  #ac = new AbortController();
  #relisting: Promise<void> | undefined;

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

  /**
   * Records an object berth's executor just made (its id as the runtime
   * returned it), so its events need no lookup. An event that came first
   * already set a newer state, which stays.
   */
  note(id: string, uid: string, kind: Kind): void {
    if (this.#known.has(id)) return;
    this.#known.set(id, { uid, kind, state: kind === 'sandbox' ? 'SANDBOX_READY' : 'CONTAINER_CREATED' });
  }

  #onEvent(e: ContainerEvent): void {
    const known = this.#known.get(e.id);
    if (known) {
      known.state = stateAfter(known.kind, e.type) ?? known.state;
      this.#o.onPodChange(known.uid, e);
      return;
    }
    // Created and started events of an object not known yet are those of a
    // sandbox whose RunPodSandbox has not returned (containerd starts its
    // pause task first; CRI answers for the sandbox only at the end), or of
    // an object that is not berth's: the executor making it is still in that
    // pod's sync and notes it when the call returns, and a relist would find
    // it anyway. Looking them up cost two failed status calls and a relist
    // per pod.
    if (e.type === 'deleted' || e.type === 'created' || e.type === 'started') return;
    // An exit (or OOM) of an object not known yet: ask the runtime whose it
    // is; relist if that fails.
    void this.#resolve(e.id).then((found) => {
      if (found) {
        this.#known.set(e.id, found);
        this.#o.onPodChange(found.uid, e);
      } else if (found === undefined) {
        void this.relist();
      }
    });
  }

  /** The pod, kind and state of a container or sandbox; null if it is not berth's; undefined if unknown. */
  async #resolve(id: string): Promise<Known | null | undefined> {
    const reads: [Kind, () => Promise<{ labels: Record<string, string>; state: string }>][] = [
      ['container', () => this.#o.runtime.containerStatus(id)],
      ['sandbox', () => this.#o.runtime.podSandboxStatus(id)],
    ];
    for (const [kind, read] of reads) {
      try {
        const { labels, state } = await read();
        if (labels[Label.managedBy] !== 'true' || !labels[Label.podUid]) return null;
        return { uid: labels[Label.podUid], kind, state };
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
        const listed = new Map<string, Known>();
        for (const sb of sandboxes) listed.set(sb.id, { uid: sb.labels[Label.podUid], kind: 'sandbox', state: sb.state });
        for (const c of containers) listed.set(c.id, { uid: c.labels[Label.podUid], kind: 'container', state: c.state });
        // Like the kubelet's PLEG, wake only pods whose runtime objects
        // changed (appeared, vanished, or are in another state than the
        // events said) since they were last known; the pod workers' resync
        // covers the rest, so an idle node stays idle.
        const changed = new Set<string>();
        for (const [id, now] of listed) {
          const before = this.#known.get(id);
          if (!before || before.state !== now.state || before.uid !== now.uid) changed.add(now.uid);
        }
        for (const [id, before] of this.#known) if (!listed.has(id)) changed.add(before.uid);
        this.#known = listed;
        for (const uid of changed) this.#o.onPodChange(uid);
      } catch (err) {
        this.#o.log?.(`relist failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        this.#relisting = undefined;
      }
    })();
    return this.#relisting;
  }
}
