/**
 * Which image pulls are still running, from the kubelet's events, and when
 * to say so: a `Pulling` event starts one (per pod and container), `Pulled`
 * or a failure ends it; every PULL_NOTE_MS of a running pull gives one note.
 * Time is passed in, so the schedule is tested without waiting.
 */

export const PULL_NOTE_MS = 5000;

const PULL_ENDS = new Set(['Pulled', 'Failed', 'BackOff', 'ErrImageNeverPull', 'InspectFailed']);

interface Pull {
  image: string;
  pod: string;
  since: number;
  noted: number;
}

export class PullProgress {
  #pulls = new Map<string, Pull>();

  /** Feeds one event (core/v1 Event fields). */
  onEvent(ev: { reason?: string; message?: string; involvedObject?: { kind?: string; namespace?: string; name?: string; fieldPath?: string } }, now: number): void {
    const io = ev.involvedObject ?? {};
    if (io.kind !== 'Pod') return;
    const key = `${io.namespace}/${io.name}/${io.fieldPath ?? ''}`;
    if (ev.reason === 'Pulling') {
      const image = /"([^"]+)"/.exec(ev.message ?? '')?.[1] ?? 'an image';
      if (!this.#pulls.has(key)) this.#pulls.set(key, { image, pod: io.name ?? '', since: now, noted: 0 });
    } else if (ev.reason && PULL_ENDS.has(ev.reason)) {
      this.#pulls.delete(key);
    }
  }

  /** The notes due at `now`: one per running pull for each PULL_NOTE_MS it has run. */
  due(now: number): string[] {
    const notes: string[] = [];
    for (const p of this.#pulls.values()) {
      const steps = Math.floor((now - p.since) / PULL_NOTE_MS);
      if (steps > p.noted) {
        p.noted = steps;
        notes.push(`still pulling image "${p.image}" for pod/${p.pod} (${Math.round((now - p.since) / 1000)} s)`);
      }
    }
    return notes;
  }
}
