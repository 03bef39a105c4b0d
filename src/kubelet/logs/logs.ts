/**
 * logs — `kubectl logs` on the node: chooses the container instance the way
 * the kubelet's `validateContainerLogStatus` does (pkg/kubelet/kubelet_pods.go,
 * with its exact error texts), then reads that instance's CRI log file
 * as the kubelet's `ReadLogs` does: tail counts the file's lines from its end
 * (a line split into `P` records counts once per record), since and
 * limitBytes apply to what follows, and follow streams appends while the
 * container runs.
 *
 * Bounded: the file is read backwards only as far as the lines asked for,
 * then forwards one chunk at a time, and the next chunk is read only once
 * the client has taken the last one, so a huge log costs time, not memory.
 *
 * State: none; follow polls the file (and wakes on fs.watch and on the
 * container's exit event) until the container stops or the request goes away.
 */
import { open } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import type { Writable } from 'node:stream';
import { errors, type ContainerStatus, type Pod, type PodStatus } from '../../api/api.ts';
import type { LogOptions } from '../../apiserver/node-streams.ts';
import { formatRecord, type LogRecord } from './cri-log.ts';
import { RecordReader } from './record-reader.ts';
import { findTailLineStart } from './tail-read.ts';

export interface LogDeps {
  /** The kubelet's latest status for the pod (falls back to the API status). */
  podStatus(pod: Pod): PodStatus;
  /** Absolute log path of a container instance (id without the runtime prefix). */
  logPath(containerId: string): Promise<string>;
  isRunning(containerId: string): Promise<boolean>;
  /**
   * Calls `fn` when the runtime says the container stopped (its exit event),
   * at once when it already has; returns the unsubscribe. A follow then ends
   * within a few ms instead of at its next poll; without it (or if the event
   * is missed) the poll still ends it.
   */
  onStopped?(containerId: string, fn: () => void): () => void;
}

/** Picks the container id to read, or throws BadRequest with the kubelet's message. */
export function containerIdForLogs(podName: string, status: PodStatus, container: string, previous: boolean): string {
  const find = (list: ContainerStatus[] | undefined) => list?.find((s) => s.name === container);
  const cs = find(status.containerStatuses) ?? find(status.initContainerStatuses) ?? find(status.ephemeralContainerStatuses);
  const fail = (msg: string): never => {
    throw errors.badRequest(msg);
  };
  if (!cs) return fail(`container "${container}" in pod "${podName}" is not available`);
  const last = cs.lastState?.terminated;
  const { waiting, running, terminated } = cs.state ?? {};
  let id: string | undefined;
  if (previous) {
    if (!last?.containerID) fail(`previous terminated container "${container}" in pod "${podName}" not found`);
    id = last!.containerID;
  } else if (running) {
    id = cs.containerID;
  } else if (terminated) {
    id = terminated.containerID || last?.containerID;
    if (!id) fail(`container "${container}" in pod "${podName}" is terminated`);
  } else if (last) {
    if (!last.containerID) fail(`container "${container}" in pod "${podName}" is terminated`);
    id = last.containerID;
  } else if (waiting) {
    if (waiting.reason === 'ErrImagePull') fail(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
    if (waiting.reason === 'ImagePullBackOff') {
      fail(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
    }
    fail(`container "${container}" in pod "${podName}" is waiting to start: ${waiting.reason ?? ''}`);
  } else {
    fail(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
  }
  return (id ?? '').replace(/^[a-z]+:\/\//, '');
}

/** The earliest record time shown, if since was asked for (the later of sinceSeconds and sinceTime). */
function sinceMs(opts: LogOptions, now: number): number | undefined {
  const ms = opts.sinceTime ? Date.parse(opts.sinceTime) : opts.sinceSeconds ? now - opts.sinceSeconds * 1000 : undefined;
  return ms === undefined || Number.isNaN(ms) ? undefined : ms;
}

/**
 * Writes to `out` and, when its buffer is full, waits until the client has
 * taken it (or the request ended), so an endless log never piles up in memory.
 */
async function writeOut(out: Writable, buf: Buffer, signal: AbortSignal): Promise<void> {
  if (out.write(buf) || signal.aborted || out.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

class ByteLimit {
  #left: number;
  constructor(limit: number | undefined) {
    this.#left = limit ?? Infinity;
  }
  get exhausted(): boolean {
    return this.#left <= 0;
  }
  /** As much of `text` as the limit allows (and counts it). */
  take(text: string): Buffer {
    if (this.#left <= 0 || text === '') return Buffer.alloc(0);
    let buf = Buffer.from(text);
    if (buf.length > this.#left) buf = buf.subarray(0, this.#left);
    this.#left -= buf.length;
    return buf;
  }
}

export async function serveLogs(pod: Pod, opts: LogOptions, out: Writable, signal: AbortSignal, deps: LogDeps, now = Date.now): Promise<void> {
  const name = pod.metadata!.name!;
  const id = containerIdForLogs(name, deps.podStatus(pod), opts.container, opts.previous ?? false);
  let path: string;
  try {
    path = await deps.logPath(id);
  } catch {
    // The instance is gone from the runtime. The kubelet has already sent its
    // 200 by then, so its error becomes the body: kubectl prints it, exit 0.
    out.write(`unable to retrieve container logs for containerd://${id}`);
    return;
  }
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) {
    // No log yet (e.g. the file was rotated away): nothing to serve.
    return;
  }
  const limit = new ByteLimit(opts.limitBytes);
  const since = sinceMs(opts, now());
  const timestamps = opts.timestamps ?? false;
  /** Writes one record; false once nothing more may be written. */
  const emit = async (r: LogRecord): Promise<boolean> => {
    if (since === undefined || r.ms >= since) {
      const buf = limit.take(formatRecord(r, timestamps));
      if (buf.length) await writeOut(out, buf, signal);
    }
    return !limit.exhausted && !signal.aborted;
  };
  try {
    const { size } = await fh.stat();
    const tail = opts.tailLines;
    const reader = new RecordReader(fh, tail === undefined ? 0 : await findTailLineStart(fh, size, tail));
    // Without follow, a tail ends after its lines even if the file grew meanwhile.
    let left = tail !== undefined && !opts.follow ? tail : Infinity;
    for (let records = await reader.next(size); records && left > 0; records = await reader.next(size)) {
      for (const r of records) {
        if (left-- <= 0 || !(await emit(r))) return;
      }
    }
    if (!opts.follow || opts.previous) return;

    // Follow: read appends until the container stops, then drain once more.
    let watcher: FSWatcher | undefined;
    let wake: (() => void) | undefined;
    try {
      watcher = watch(path, () => wake?.());
    } catch {
      watcher = undefined;
    }
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    // The exit event can come before the runtime's status says the
    // container stopped (containerd updates it once the log is flushed), so
    // from then on the follow checks again every few ms, not every 250.
    let exited = false;
    const unsubscribe = deps.onStopped?.(id, () => {
      exited = true;
      wake?.();
    });
    try {
      while (!signal.aborted) {
        const running = await deps.isRunning(id).catch(() => false);
        const end = (await fh.stat()).size;
        for (let records = await reader.next(end); records; records = await reader.next(end)) {
          for (const r of records) if (!(await emit(r))) return;
        }
        if (!running) break;
        // Polls a file containerd appends to, in real time: I/O, not the
        // node agent's clock (a fake clock would stop `kubectl logs -f`).
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, exited ? 10 : 250);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      unsubscribe?.();
      watcher?.close();
    }
  } finally {
    await fh.close();
  }
}
