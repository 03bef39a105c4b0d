/**
 * Where a pod's start-up time goes, read from the outside with one clock
 * (epoch ms): the moment the run began, containerd's task events for the
 * sandbox and each container, and the moment the run saw the pod done. The
 * same phases are computed for the CRI floor and for berth, so their
 * difference is berth's own time in each.
 */
import type { EventLog } from './event-log.ts';

export interface PodTimeline {
  /** Date.now() when the run began (floor: RunPodSandbox called; berth: POST sent). */
  t0: number;
  sandboxId: string;
  /** Container ids in start order: inits, then apps. */
  ids: string[];
  inits: number;
  /** Date.now() when the run saw the pod done (floor: last StartContainer returned; berth: Running seen on a watch). */
  done: number;
}

/** Phase name → ms. Names are stable: the JSON output and the breakdown table use them. */
export function phases(t: PodTimeline, events: EventLog): Record<string, number> {
  const out: Record<string, number> = {};
  const sb = events.times(t.sandboxId);
  const c = t.ids.map((id) => events.times(id));
  const put = (name: string, a: number | undefined, b: number | undefined) => {
    if (a !== undefined && b !== undefined) out[name] = b - a;
  };
  put('start → sandbox task started', t.t0, sb.started);
  put('sandbox started → first container task created', sb.started, c[0]?.created);
  for (let i = 0; i < c.length; i++) {
    const name = i < t.inits ? `init${i + 1}` : `app${i - t.inits + 1}`;
    put(`${name}: task created → started (containerd)`, c[i].created, c[i].started);
  }
  for (let i = 0; i < t.inits; i++) {
    const next = i + 1 < t.inits ? `init${i + 2}` : 'app1';
    put(`init${i + 1} exit → ${next} task created`, c[i].exited, c[i + 1]?.created);
  }
  for (let i = t.inits + 1; i < c.length; i++) put(`app${i - t.inits} started → app${i - t.inits + 1} task created`, c[i - 1].started, c[i].created);
  put('last container started → pod seen done', c[c.length - 1]?.started, t.done);
  put('total', t.t0, t.done);
  return out;
}

/** Per init step: previous container's exit → next container's start, from containerd's event times. */
export function initSteps(t: PodTimeline, events: EventLog): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.inits; i++) {
    const a = events.times(t.ids[i]).exited;
    const b = events.times(t.ids[i + 1]).started;
    if (a !== undefined && b !== undefined) out.push(b - a);
  }
  return out;
}
