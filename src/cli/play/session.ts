/**
 * One `berth play` run against an API server: watch, apply, follow, decide.
 *
 *   1. For each namespace the manifests use: list pods and events (Table,
 *      with the objects) to learn the columns and a resourceVersion, then
 *      watch from there — only what happens from now on is shown.
 *   2. Apply the manifests (apply.ts), printing kubectl's `pod/x created`.
 *   3. While waiting: print pod rows and event rows (live-view.ts); follow
 *      each container instance's log once it has started (init containers
 *      as they run); note long image pulls every few seconds.
 *   4. Decide (outcome.ts, workload-outcome.ts) on every pod and workload
 *      change: done when every pod and every Deployment and DaemonSet reached
 *      its outcome, failed as soon as one failed; else the timeout or an
 *      abort ends it. A workload's pods (those its selector matches) are
 *      shown and followed like the manifests' own pods.
 *   5. Report: one line per pod; for a failure, the failing container's
 *      reason and its last log lines.
 *
 * State: per-pod last row and object, followed container instances,
 * pending pulls, the watches' resourceVersions. Timers: the timeout and the
 * pull-progress ticker, both cleared when the run ends.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiError, TABLE_ACCEPT, type KubeClient, ResourceMap } from '../kube/kube.ts';
import { applyManifest, ApplyError } from './apply.ts';
import { cellText, logLine, seconds, TableLines } from './live-view.ts';
import { applyOrder, type Manifest } from './manifests.ts';
import { podOutcome, type PodOutcome } from './outcome.ts';
import { PullProgress } from './pull-progress.ts';
import { isWorkload, workloadOutcome, workloadSelector, type WorkloadOutcome } from './workload-outcome.ts';

export interface SessionOptions {
  client: KubeClient;
  manifests: Manifest[];
  /** For objects without metadata.namespace. */
  namespace: string;
  quiet: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  /** The live view and results (stdout). */
  out: (line: string) => void;
  /** berth's own notes (stderr). */
  note: (line: string) => void;
  now?: () => number;
}

export type SessionResult = { kind: 'ok' } | { kind: 'failed' } | { kind: 'timeout' } | { kind: 'interrupted' } | { kind: 'error'; message: string };

interface Tracked {
  ns: string;
  name: string;
  pod?: any;
  cells?: unknown[];
  rv: number;
  outcome: PodOutcome;
  lastWarning?: string;
}

/** A Deployment or DaemonSet of the manifests, with the pods it selects (its members). */
interface TrackedWorkload {
  ns: string;
  name: string;
  /** `deployment.apps/web`, as kubectl names it. */
  ref: string;
  /** The API group and plural resource, for its API path. */
  group: string;
  resource: string;
  obj?: any;
  rv: number;
  outcome: WorkloadOutcome;
  members: Map<string, Tracked>;
}

/** Where each workload kind is served: its group (for kubectl's `kind.group/name`) and plural resource. */
const workloadResources: Record<string, { group: string; resource: string }> = {
  Deployment: { group: 'apps', resource: 'deployments' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  Job: { group: 'batch', resource: 'jobs' },
};

const LOG_TAIL = 10;

export class PlaySession {
  #o: SessionOptions;
  #now: () => number;
  #pods = new Map<string, Tracked>();
  #workloads = new Map<string, TrackedWorkload>();
  #objects = new Set<string>();
  #podTable: TableLines;
  #eventTable: TableLines;
  #silentTable: TableLines;
  #statusColumn = -1;
  #followed = new Set<string>();
  #follows = new Map<string, { promise: Promise<void>; running: () => boolean }>();
  #pulls = new PullProgress();
  #stop = new AbortController();
  #settle: ((r: SessionResult) => void) | undefined;
  #started = 0;

  constructor(o: SessionOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    const live = (l: string) => {
      if (!o.quiet) o.out(l);
    };
    this.#podTable = new TableLines(live);
    this.#eventTable = new TableLines(live);
    this.#silentTable = new TableLines(() => {});
  }

  async run(): Promise<SessionResult> {
    const o = this.#o;
    this.#started = this.#now();
    const manifests = applyOrder(o.manifests);
    const podManifests = manifests.filter((m) => m.object.kind === 'Pod' && m.object.apiVersion === 'v1');
    for (const m of manifests) {
      this.#objects.add(`${m.object.kind}/${m.object.metadata.namespace ?? o.namespace}/${m.object.metadata.name}`);
    }
    for (const m of podManifests) {
      const ns = m.object.metadata.namespace ?? o.namespace;
      this.#pods.set(`${ns}/${m.object.metadata.name}`, { ns, name: m.object.metadata.name, rv: 0, outcome: { kind: 'pending' } });
    }
    for (const m of manifests.filter((x) => isWorkload(x.object))) {
      const ns = m.object.metadata.namespace ?? o.namespace;
      const name = m.object.metadata.name;
      const kind = m.object.kind;
      this.#workloads.set(`${kind}/${ns}/${name}`, {
        ns,
        name,
        ref: `${kind.toLowerCase()}.${workloadResources[kind].group}/${name}`,
        group: workloadResources[kind].group,
        resource: workloadResources[kind].resource,
        rv: 0,
        outcome: { kind: 'pending', waiting: 'Waiting for the controller to observe it...' },
        members: new Map(),
      });
    }
    const stop = AbortSignal.any([o.signal, this.#stop.signal]);
    const finished = new Promise<SessionResult>((resolve) => (this.#settle = resolve));
    const onAbort = () => this.#finish({ kind: 'interrupted' });
    o.signal.addEventListener('abort', onAbort, { once: true });
    if (o.signal.aborted) onAbort();
    const timeout = setTimeout(() => this.#finish({ kind: 'timeout' }), o.timeoutMs);
    const ticker = setInterval(() => this.#notePulls(), 1000);
    try {
      const namespaces = [...new Set(manifests.filter((m) => m.object.kind !== 'Namespace').map((m) => m.object.metadata.namespace ?? o.namespace))];
      for (const ns of namespaces) {
        await this.#startWatch(`/api/v1/namespaces/${ns}/events`, this.#eventTable, (obj, cells) => this.#onEvent(obj, cells), stop);
        const workloads = [...this.#workloads.values()].filter((w) => w.ns === ns);
        if ([...this.#pods.values()].some((p) => p.ns === ns) || workloads.length) {
          await this.#startWatch(`/api/v1/namespaces/${ns}/pods`, this.#podTable, (obj, cells, type) => this.#onPod(obj, cells, type), stop);
        }
        for (const path of new Set(workloads.map((w) => `/apis/${w.group}/v1/namespaces/${ns}/${w.resource}`))) {
          // Workloads are judged, not printed: their pods' rows show the rollout.
          await this.#startWatch(path, this.#silentTable, (obj, _cells, type) => this.#onWorkload(obj, type), stop);
        }
      }
      const map = new ResourceMap(o.client);
      for (const m of manifests) {
        if (stop.aborted) break;
        const applied = await applyManifest(o.client, map, m, o.namespace, stop);
        if (!o.quiet) o.out(`${applied.ref} ${applied.action}`);
      }
      if (this.#pods.size === 0 && this.#workloads.size === 0) {
        this.#finish({ kind: 'ok' });
      } else {
        // Pods that were already there (unchanged, configured) may not change again.
        for (const p of this.#pods.values()) {
          const table = await o.client.get(`/api/v1/namespaces/${p.ns}/pods/${p.name}`, { accept: TABLE_ACCEPT, query: { includeObject: 'Object' }, signal: stop });
          this.#onTable(table, this.#podTable, (obj, cells, type) => this.#onPod(obj, cells, type), 'ADDED');
        }
        // Likewise workloads that were already rolled out, and the pods they already have.
        for (const w of this.#workloads.values()) {
          this.#onWorkload(await o.client.get(`/apis/${w.group}/v1/namespaces/${w.ns}/${w.resource}/${w.name}`, { signal: stop }), 'ADDED');
        }
        for (const ns of new Set([...this.#workloads.values()].map((w) => w.ns))) {
          const table = await o.client.get(`/api/v1/namespaces/${ns}/pods`, { accept: TABLE_ACCEPT, query: { includeObject: 'Object' }, signal: stop });
          this.#onTable(table, this.#podTable, (obj, cells, type) => this.#onPod(obj, cells, type), 'ADDED');
        }
      }
    } catch (err) {
      if (err instanceof ApplyError) this.#finish({ kind: 'error', message: err.message });
      else if (err instanceof KubeApiError) this.#finish({ kind: 'error', message: err.kubectlText });
      else if (!stop.aborted) this.#finish({ kind: 'error', message: (err as Error).message });
    }
    const result = await finished;
    clearTimeout(timeout);
    clearInterval(ticker);
    o.signal.removeEventListener('abort', onAbort);
    await this.#drainLogs();
    this.#stop.abort();
    await this.#report(result);
    return result;
  }

  #finish(r: SessionResult): void {
    const settle = this.#settle;
    this.#settle = undefined;
    settle?.(r);
  }

  async #startWatch(path: string, table: TableLines, handle: Handler, signal: AbortSignal): Promise<void> {
    const list = await this.#o.client.get(path, { accept: TABLE_ACCEPT, query: { includeObject: 'Object' }, signal });
    if (list?.columnDefinitions?.length) this.#columns(table, list.columnDefinitions);
    let rv: string = list?.metadata?.resourceVersion ?? '';
    void (async () => {
      while (!signal.aborted) {
        try {
          await this.#o.client.stream(path, { accept: TABLE_ACCEPT, query: { watch: 1, resourceVersion: rv || undefined, includeObject: 'Object', allowWatchBookmarks: true }, signal }, (line) => {
            if (!line.trim()) return;
            const ev = JSON.parse(line);
            if (ev.type === 'ERROR') throw new KubeApiError(ev.object?.code ?? 500, ev.object?.reason ?? 'Unknown', ev.object?.message ?? 'watch error', ev.object);
            const next = this.#onTable(ev.object, table, handle, ev.type);
            if (next) rv = next;
          });
        } catch (err) {
          if (signal.aborted) return;
          if (err instanceof KubeApiError && (err.status === 410 || err.reason === 'Expired')) {
            rv = '';
            continue;
          }
          this.#o.note(`watch ${path} ended (${(err as Error).message}); watching again`);
        }
        await sleep(200, undefined, { signal }).catch(() => {});
      }
    })();
  }

  #columns(table: TableLines, defs: { name: string; priority?: number }[]): void {
    table.columns(defs);
    if (table === this.#podTable && this.#statusColumn === -1) {
      this.#statusColumn = defs.filter((d) => (d.priority ?? 0) === 0).findIndex((d) => d.name === 'Status');
    }
  }

  /** Handles one Table (a watch event's or a GET's); returns the last resourceVersion in it. */
  #onTable(t: any, table: TableLines, handle: Handler, type: string): string | undefined {
    if (!t) return undefined;
    if (t.kind !== 'Table') return t.metadata?.resourceVersion;
    if (t.columnDefinitions?.length) this.#columns(table, t.columnDefinitions);
    let rv: string | undefined;
    for (const row of t.rows ?? []) {
      const obj = row.object;
      if (!obj) continue;
      rv = obj.metadata?.resourceVersion ?? rv;
      handle(obj, row.cells ?? [], type);
    }
    return rv ?? t.metadata?.resourceVersion;
  }

  #onPod(pod: any, cells: unknown[], type: string): void {
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const p = this.#pods.get(key);
    if (!p) {
      this.#onMemberPod(pod, cells, type);
      return;
    }
    const rv = Number(pod.metadata?.resourceVersion ?? 0);
    if (rv && rv <= p.rv) return;
    p.rv = rv;
    p.pod = pod;
    p.cells = cells;
    this.#podTable.row(cells);
    if (type === 'DELETED') {
      p.outcome = { kind: 'failed', reason: 'Deleted', detail: 'the pod was deleted', hasLogs: false };
    } else {
      p.outcome = podOutcome(pod);
      if (!this.#o.quiet) this.#follow(p);
    }
    this.#decide();
  }

  /** A pod of a tracked workload (its selector matches): shown, followed, and judged as part of the workload. */
  #onMemberPod(pod: any, cells: unknown[], type: string): void {
    const ns = pod.metadata?.namespace;
    const name = pod.metadata?.name;
    let changed = false;
    for (const w of this.#workloads.values()) {
      if (w.ns !== ns || !w.obj || !workloadSelector(w.obj).matches(pod.metadata?.labels)) continue;
      let m = w.members.get(name);
      if (!m) w.members.set(name, (m = { ns, name, rv: 0, outcome: { kind: 'pending' } }));
      const rv = Number(pod.metadata?.resourceVersion ?? 0);
      if (rv && rv <= m.rv) continue;
      m.rv = rv;
      m.pod = pod;
      m.cells = cells;
      this.#objects.add(`Pod/${ns}/${name}`);
      if (type === 'DELETED') {
        w.members.delete(name);
      } else {
        m.outcome = podOutcome(pod);
        if (!this.#o.quiet) this.#follow(m);
      }
      if (!changed) this.#podTable.row(cells);
      changed = true;
      this.#judge(w);
    }
    if (changed) this.#decide();
  }

  #onWorkload(obj: any, type: string): void {
    const w = this.#workloads.get(`${obj?.kind ?? ''}/${obj?.metadata?.namespace}/${obj?.metadata?.name}`);
    if (!w) return;
    const rv = Number(obj.metadata?.resourceVersion ?? 0);
    if (rv && rv <= w.rv) return;
    w.rv = rv;
    if (type === 'DELETED') {
      w.outcome = { kind: 'failed', reason: 'Deleted', detail: `${w.ref} was deleted` };
    } else {
      w.obj = obj;
      this.#judge(w);
    }
    this.#decide();
  }

  #judge(w: TrackedWorkload): void {
    if (w.obj) w.outcome = workloadOutcome(w.obj, [...w.members.values()].map((m) => ({ name: m.name, pod: m.pod, outcome: m.outcome })));
  }

  #decide(): void {
    const outcomes = [...[...this.#pods.values()].map((p) => p.outcome.kind), ...[...this.#workloads.values()].map((w) => w.outcome.kind)];
    if (outcomes.some((k) => k === 'failed')) this.#finish({ kind: 'failed' });
    else if (outcomes.every((k) => k === 'reached')) this.#finish({ kind: 'ok' });
  }

  /** Events shown: those of the manifests' objects and of the workloads' pods and ReplicaSets (`<deployment>-<hash>`). */
  #shows(kind: string, ns: string, name: string): boolean {
    if (this.#objects.has(`${kind}/${ns}/${name}`)) return true;
    if (kind !== 'ReplicaSet') return false;
    return [...this.#workloads.values()].some((w) => w.ns === ns && w.resource === 'deployments' && name.startsWith(`${w.name}-`));
  }

  #onEvent(ev: any, cells: unknown[]): void {
    const io = ev.involvedObject ?? ev.regarding ?? {};
    const ns = io.namespace ?? ev.metadata?.namespace;
    if (!this.#shows(io.kind, ns, io.name)) return;
    this.#eventTable.row(cells);
    const p = io.kind === 'Pod' ? (this.#pods.get(`${ns}/${io.name}`) ?? this.#memberPod(ns, io.name)) : undefined;
    if (p && ev.type === 'Warning') p.lastWarning = `${ev.reason}: ${ev.message}`;
    this.#pulls.onEvent(ev, this.#now());
  }

  #memberPod(ns: string, name: string): Tracked | undefined {
    for (const w of this.#workloads.values()) {
      const m = w.ns === ns ? w.members.get(name) : undefined;
      if (m) return m;
    }
    return undefined;
  }

  #notePulls(): void {
    if (this.#o.quiet) return;
    for (const note of this.#pulls.due(this.#now())) this.#o.note(note);
  }

  /** Follows the log of every container instance of `p` that has started and is not followed yet. */
  #follow(p: Tracked): void {
    const statuses = [...(p.pod.status?.initContainerStatuses ?? []), ...(p.pod.status?.containerStatuses ?? [])];
    for (const s of statuses) {
      const id = s.state?.running ? s.containerID : s.state?.terminated?.containerID;
      if (!id) continue;
      const key = `${p.ns}/${p.name}/${s.name}/${id}`;
      if (this.#followed.has(key)) continue;
      this.#followed.add(key);
      const promise = this.#o.client
        .stream(`/api/v1/namespaces/${p.ns}/pods/${p.name}/log`, { query: { container: s.name, follow: true }, signal: this.#stop.signal }, (line) =>
          this.#o.out(logLine(p.name, s.name, line)),
        )
        .catch(() => {
          // The container went away before its log could be read: nothing to show.
        });
      const running = () => {
        const now = [...(p.pod.status?.initContainerStatuses ?? []), ...(p.pod.status?.containerStatuses ?? [])].find((c: any) => c.name === s.name);
        return Boolean(now?.state?.running) && now.containerID === id;
      };
      this.#follows.set(key, { promise, running });
    }
  }

  /** Lets the logs of containers that have finished reach their end (bounded), then stops the rest. */
  async #drainLogs(): Promise<void> {
    const finishing = [...this.#follows.values()].filter((f) => !f.running()).map((f) => f.promise);
    if (!finishing.length) return;
    // The bound's timer is cancelled once the logs are in: a pending timer would hold the process (and play's exit) for the rest of it.
    const bound = new AbortController();
    await Promise.race([Promise.all(finishing), sleep(1500, undefined, { signal: bound.signal }).catch(() => {})]);
    bound.abort();
  }

  async #report(result: SessionResult): Promise<void> {
    const o = this.#o;
    const elapsed = seconds(this.#now() - this.#started);
    const status = (p: Tracked) => (p.cells && this.#statusColumn >= 0 ? cellText(p.cells[this.#statusColumn]) : 'Pending');
    switch (result.kind) {
      case 'ok':
        if (this.#pods.size === 0 && this.#workloads.size === 0) o.out(`applied ${o.manifests.length} object${o.manifests.length === 1 ? '' : 's'}; no pods to wait for`);
        for (const p of this.#pods.values()) {
          if (p.outcome.kind === 'reached') o.out(`pod/${p.name} ${p.outcome.summary} after ${elapsed}`);
        }
        for (const w of this.#workloads.values()) {
          if (w.outcome.kind === 'reached') o.out(`${w.ref} ${w.outcome.summary} after ${elapsed}`);
        }
        return;
      case 'error':
        o.note(result.message);
        return;
      case 'interrupted':
        o.note(`interrupted after ${elapsed}`);
        return;
      case 'timeout':
        for (const p of this.#pods.values()) {
          if (p.outcome.kind === 'reached') continue;
          o.out(`pod/${p.name} timed out after ${elapsed}: STATUS ${status(p)}${p.lastWarning ? ` (last warning: ${p.lastWarning})` : ''}`);
        }
        for (const w of this.#workloads.values()) {
          if (w.outcome.kind === 'pending') o.out(`${w.ref} timed out after ${elapsed}: ${w.outcome.waiting}`);
        }
        return;
      case 'failed':
        for (const p of this.#pods.values()) {
          const f = p.outcome;
          if (f.kind !== 'failed') continue;
          o.out(`pod/${p.name} failed after ${elapsed}: ${status(p)}: ${f.detail}`);
          if (f.container && f.hasLogs) await this.#lastLogLines(p, f.container);
        }
        for (const w of this.#workloads.values()) {
          if (w.outcome.kind !== 'failed') continue;
          o.out(`${w.ref} failed after ${elapsed}: ${w.outcome.reason}: ${w.outcome.detail}`);
          // The newest failed pod: a Job's last attempt, a workload's current pod.
          const m = [...w.members.values()]
            .filter((x) => x.outcome.kind === 'failed' && !x.pod?.metadata?.deletionTimestamp)
            .sort((a, b) => String(b.pod?.metadata?.creationTimestamp ?? '').localeCompare(String(a.pod?.metadata?.creationTimestamp ?? '')))[0];
          if (m?.outcome.kind === 'failed' && m.outcome.container && m.outcome.hasLogs) await this.#lastLogLines(m, m.outcome.container);
        }
    }
  }

  async #lastLogLines(p: Tracked, container: string): Promise<void> {
    let text: string;
    try {
      text = String((await this.#o.client.get(`/api/v1/namespaces/${p.ns}/pods/${p.name}/log`, { query: { container, tailLines: LOG_TAIL } })) ?? '');
    } catch {
      return;
    }
    const lines = text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
    if (!lines.length) {
      this.#o.out(`(container "${container}" wrote no log lines)`);
      return;
    }
    this.#o.out(`last ${lines.length} log line${lines.length === 1 ? '' : 's'} of ${p.name}/${container}:`);
    for (const l of lines) this.#o.out(`  ${l}`);
  }
}

type Handler = (obj: any, cells: unknown[], type: string) => void;
