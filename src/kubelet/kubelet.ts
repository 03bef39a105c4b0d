/**
 * kubelet — berth's node agent: runs the pods bound to this node on the CRI
 * runtime, as the kubelet does.
 *
 * Owns: the desired-pod cache (fed by a watch of pods with spec.nodeName =
 * this node), one pod worker per pod, the PLEG (containerd events + relist,
 * and a relist whenever containerd is ready again), the prober (startup,
 * readiness and liveness workers), the status manager (the single writer of
 * pod status), start-failure
 * reasons, crash-loop and image-pull backoff, pod directories and logs, and
 * the node object. Serves `kubectl logs`, and the streaming URLs of exec,
 * attach and port-forward (streaming.ts), through the NodeStreams interface.
 *
 * Does not own: what the API accepts (registry), containerd itself.
 *
 * State: desired pods in memory (rebuilt from the API at start); everything
 * about what runs is read back from containerd (labels and annotations), so
 * a restarted berth re-runs nothing that completed. Loops: pod workers
 * (event-driven, requeue timers, a jittered resync of each pod 60–90 s after
 * its last sync), the PLEG relist (10 s), a look for orphaned pod directories
 * (60 s), the node status report (5 min); every timer of the node agent runs
 * on the one injected clock (container/clock.ts).
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Pod } from '../api/api.ts';
import type { AttachOptions, ExecOptions, LogOptions, NodeStreams } from '../apiserver/node-streams.ts';
import { EventRecorder, type Client } from '../client/client.ts';
import type { ContainerEventSource, ImageService, RuntimeService } from '../cri/types.ts';
import { every, systemClock, type Clock } from '../clock/clock.ts';
import { podEventSink } from './container/pod-events.ts';
import { ImageManager } from './images/images.ts';
import { serveLogs } from './logs/logs.ts';
import { podLogUids } from './logs/pod-log-dirs.ts';
import { allocatable, nodeObject } from './node-object.ts';
import { Pleg } from './pleg/pleg.ts';
import { ProbeManager } from './prober/prober.ts';
import { PodWorkers } from './pod-workers.ts';
import { PodExecutor } from './runtime/execute.ts';
import { ExitWaiters } from './runtime/exit-waiters.ts';
import { RuntimeObserver } from './runtime/observe.ts';
import { StartSlots } from './runtime/start-slots.ts';
import { StatusManager } from './status/status-manager.ts';
import { NodeStreamer } from './streaming.ts';
import { PodSyncer } from './sync-pod.ts';
import { VolumeManager } from './volumes/volumes.ts';
import { readFileSync } from 'node:fs';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { ClusterDns } from './runtime/pod-dns.ts';

/** Whether two versions of a pod differ in anything but status and bookkeeping metadata. */
export function changedBeyondStatus(a: Pod, b: Pod): boolean {
  const essence = (p: Pod) => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = p.metadata ?? {};
    return JSON.stringify([meta, p.spec]);
  };
  return essence(a) !== essence(b);
}

export const kubeletVersion = 'v1.33.0+berth';

/**
 * The kubelet's nodeStatusReportFrequency: with nothing changed, the Node's
 * status is posted this often (a change, Ready going False, posts at once).
 */
export const nodeStatusReportMs = 5 * 60_000;

/** The kubelet's syncFrequency (1 min): each pod is synced again 60–90 s after its last sync. */
export const podResyncMs = 60_000;

export interface KubeletOptions {
  client: Client;
  runtime: RuntimeService;
  images: ImageService;
  events: ContainerEventSource;
  nodeName: string;
  /** The node's address as pods see it (the pod network gateway). */
  hostIP: string;
  podCIDR: string;
  /** berth's data directory; pods live in `<dataDir>/pods`, logs in `<dataDir>/logs/pods`. */
  dataDir: string;
  clock?: Clock;
  log?: (msg: string) => void;
  /** Cluster DNS for ClusterFirst pods; none (pods use the host's resolv.conf) by default. */
  clusterDns?: ClusterDns;
  /** The host's resolv.conf (the kubelet's --resolv-conf), /etc/resolv.conf by default. */
  resolvConfPath?: string;
  /** Every Service on the cluster, for service environment variables; none by default. */
  services?: () => readonly Service[];
}

/** The host's resolv.conf, read once at start as the kubelet does; a missing file means no host DNS. */
function readResolvConf(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export class Kubelet implements NodeStreams {
  #o: KubeletOptions;
  #desired = new Map<string, Pod>();
  /** Pods gone from the API whose runtime objects are still being stopped. */
  #gone = new Map<string, Pod>();
  #prober: ProbeManager;
  #workers: PodWorkers;
  #pleg: Pleg;
  #status: StatusManager;
  #executor: PodExecutor;
  #observer: RuntimeObserver;
  #streamer: NodeStreamer;
  #clock: Clock;
  #stops: (() => void)[] = [];
  #started = false;
  #stopping: Promise<void> | undefined;
  /** The node's Ready state and when it last changed. */
  #node = { ready: true, since: 0 };
  #registerNode: () => void = () => {};
  #volumes: VolumeManager;
  /** Log follows waiting for their container's exit event, by container id. */
  #exitWaiters: ExitWaiters;

  constructor(opts: KubeletOptions) {
    this.#o = opts;
    const clock = opts.clock ?? systemClock;
    this.#clock = clock;
    const log = opts.log ?? (() => {});
    const recorder = new EventRecorder(opts.client.events, { component: 'kubelet', host: opts.nodeName }, () => clock.now());
    const event = podEventSink(recorder);
    const { pods: _pods, ...alloc } = allocatable(opts.dataDir);
    const volumes = new VolumeManager({ podsRoot: join(opts.dataDir, 'pods'), config: opts.client.config, nodeAllocatable: alloc, clock });
    this.#volumes = volumes;
    const images = new ImageManager({ images: opts.images, config: opts.client.config, clock });
    this.#observer = new RuntimeObserver(opts.runtime, clock);
    this.#exitWaiters = new ExitWaiters((id) => this.#observer.exitSeen(id));
    this.#streamer = new NodeStreamer(opts.runtime);
    this.#status = new StatusManager(opts.client.pods, () => clock.now());
    const exec = (id: string, cmd: string[], timeoutSeconds: number) => opts.runtime.execSync(id, cmd, timeoutSeconds);
    this.#prober = new ProbeManager({ exec, event, onChange: (uid) => this.#workers.update(uid), clock });
    this.#executor = new PodExecutor({
      runtime: opts.runtime,
      images,
      volumes,
      config: opts.client.config,
      event,
      clock,
      logRoot: this.logRoot,
      hostIPs: [opts.hostIP],
      nodeAllocatable: alloc,
      dns: { cluster: opts.clusterDns ?? { servers: [], domain: 'cluster.local' }, hostResolvConf: readResolvConf(opts.resolvConfPath ?? '/etc/resolv.conf') },
      services: opts.services ?? (() => []),
      exec,
      startSlots: new StartSlots(),
      onCreated: (id, uid, kind) => this.#pleg.note(id, uid, kind),
      log,
    });
    const syncer = new PodSyncer({
      client: opts.client,
      observer: this.#observer,
      executor: this.#executor,
      status: this.#status,
      volumes,
      images,
      event,
      hostIP: opts.hostIP,
      now: () => clock.now(),
      desired: (uid) => this.#desired.get(uid),
      lastKnown: (uid) => this.#gone.get(uid),
      prober: this.#prober,
      wake: (uid) => this.#workers.update(uid),
      log,
    });
    this.#workers = new PodWorkers(
      async (uid) => {
        const r = await syncer.sync(uid);
        if (r.done) this.#gone.delete(uid);
        return r;
      },
      { log, clock, resyncMs: podResyncMs },
    );
    this.#pleg = new Pleg({
      runtime: opts.runtime,
      events: opts.events,
      onPodChange: (uid, e) => {
        if (e?.type === 'exited') {
          this.#observer.noteExit(e.id, e.exitStatus, e.at);
          this.#exitWaiters.exited(e.id);
        }
        else if (e?.type === 'oom') this.#observer.noteOom(e.id);
        this.#workers.update(uid);
      },
      clock,
      log,
    });
  }

  get logRoot(): string {
    return join(this.#o.dataDir, 'logs', 'pods');
  }

  async start(signal?: AbortSignal): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    signal?.addEventListener('abort', () => void this.stop(), { once: true });
    await mkdir(this.logRoot, { recursive: true });
    const version = await this.#o.runtime.version();
    this.#node = { ready: true, since: this.#clock.now() };
    const register = () =>
      this.#o.client.nodes.upsert(
        nodeObject({
          name: this.#o.nodeName,
          hostIP: this.#o.hostIP,
          podCIDR: this.#o.podCIDR,
          runtimeVersion: `${version.runtimeName}://${version.runtimeVersion}`,
          kubeletVersion,
          now: this.#clock.now(),
          ready: this.#node.ready,
          readySince: this.#node.since,
          dataDir: this.#o.dataDir,
        }),
      );
    this.#registerNode = register;
    register();
    this.#stops.push(
      this.#o.client.pods.watch(`spec.nodeName=${this.#o.nodeName}`, (e) => {
        const pod = e.object as Pod;
        const uid = pod.metadata?.uid;
        if (!uid) return;
        if (e.type === 'DELETED') {
          this.#desired.delete(uid);
          this.#gone.set(uid, pod);
        } else if (e.type === 'ADDED' || e.type === 'MODIFIED') {
          const before = this.#desired.get(uid);
          this.#desired.set(uid, pod);
          // Most modifications are this kubelet's own status writes; like the
          // kubelet's pod config, only a change outside status wakes the pod.
          if (before && !changedBeyondStatus(before, pod)) return;
        } else return;
        this.#workers.update(uid);
      }),
    );
    // Runtime objects of pods that no longer exist are found by the relist
    // and removed by their (desired-less) workers.
    await this.#pleg.start();
    // So are pod directories (and their mounts) and pod log directories left
    // by a pod removed while berth was down or killed mid-teardown: its
    // worker removes what the runtime still holds of it first, then them.
    const orphans = async () => {
      const uids = new Set([...(await this.#volumes.podUids()), ...(await podLogUids(this.logRoot))]);
      for (const uid of uids) if (!this.#desired.has(uid)) this.#workers.update(uid);
    };
    await orphans();
    // Every pod worker resyncs its own pod (PodWorkers' resync); this loop
    // only looks for what no worker owns.
    const stopResync = every(this.#clock, podResyncMs, () => void orphans());
    const stopHeartbeat = every(this.#clock, nodeStatusReportMs, register);
    this.#stops.push(stopResync, stopHeartbeat);
  }

  /**
   * The runtime is ready again (containerd restarted): relist at once, since
   * container events sent while it was down are lost.
   */
  runtimeReady(): void {
    if (!this.#started) return;
    this.#setNodeReady(true);
    void this.#pleg.relist();
  }

  /** The runtime stopped answering: the node reports Ready=False until it is back. */
  runtimeNotReady(): void {
    if (this.#started) this.#setNodeReady(false);
  }

  #setNodeReady(ready: boolean): void {
    if (this.#node.ready === ready) return;
    this.#node = { ready, since: this.#clock.now() };
    this.#registerNode();
  }

  /** Stops every loop and waits for running syncs. Every call returns the same promise. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (!this.#started) return;
      this.#started = false;
      for (const s of this.#stops.splice(0)) s();
      this.#pleg.stop();
      this.#prober.stop();
      await this.#workers.stop();
    })();
    return this.#stopping;
  }

  async logs(pod: Pod, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
    await serveLogs(pod, opts, out, signal, {
      podStatus: (p) => this.#status.current(p),
      logPath: async (id) => (await this.#o.runtime.containerStatus(id)).logPath,
      isRunning: async (id) => (await this.#o.runtime.containerStatus(id)).state === 'CONTAINER_RUNNING',
      onStopped: (id, fn) => this.#exitWaiters.wait(id, fn),
    });
  }

  execUrl(pod: Pod, opts: ExecOptions): Promise<string> {
    return this.#streamer.execUrl(pod, opts);
  }

  attachUrl(pod: Pod, opts: AttachOptions): Promise<string> {
    return this.#streamer.attachUrl(pod, opts);
  }

  portForwardUrl(pod: Pod, ports: number[]): Promise<string> {
    return this.#streamer.portForwardUrl(pod, ports);
  }
}
