/**
 * logs — `kubectl logs` on the node: chooses the container instance the way
 * the kubelet's `validateContainerLogStatus` does (with its exact error
 * texts, kubelet-semantics.md §19), then reads that instance's CRI log file
 * with tail/since/timestamps/limitBytes, and follows it while it runs.
 *
 * State: none; follow polls the file (and wakes on fs.watch) until the
 * container stops or the request goes away.
 */
import { open } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import type { Writable } from 'node:stream';
import { errors, type ContainerStatus, type Pod, type PodStatus } from '../../api/api.ts';
import type { LogOptions } from '../../apiserver/node-streams.ts';
import { formatRecord, parseLog, tailRecords, type LogRecord } from './cri-log.ts';

export interface LogDeps {
  /** The kubelet's latest status for the pod (falls back to the API status). */
  podStatus(pod: Pod): PodStatus;
  /** Absolute log path of a container instance (id without the runtime prefix). */
  logPath(containerId: string): Promise<string>;
  isRunning(containerId: string): Promise<boolean>;
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

/** Applies since/tail to the records already in the file. */
function select(records: LogRecord[], opts: LogOptions, now: number): LogRecord[] {
  let out = records;
  const sinceMs = opts.sinceTime ? Date.parse(opts.sinceTime) : opts.sinceSeconds ? now - opts.sinceSeconds * 1000 : undefined;
  if (sinceMs !== undefined && !Number.isNaN(sinceMs)) out = out.filter((r) => r.ms >= sinceMs);
  if (opts.tailLines !== undefined) out = tailRecords(out, opts.tailLines);
  return out;
}

class ByteLimit {
  #left: number;
  constructor(limit: number | undefined) {
    this.#left = limit ?? Infinity;
  }
  get exhausted(): boolean {
    return this.#left <= 0;
  }
  /** Writes as much of `text` as the limit allows. */
  write(out: Writable, text: string): void {
    if (this.#left <= 0 || text === '') return;
    let buf = Buffer.from(text);
    if (buf.length > this.#left) buf = buf.subarray(0, this.#left);
    this.#left -= buf.length;
    out.write(buf);
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
  const limit = new ByteLimit(opts.limitBytes);
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) {
    // No log yet (e.g. the file was rotated away): nothing to serve.
    return;
  }
  try {
    let offset = 0;
    let pending = '';
    const readNew = async (): Promise<LogRecord[]> => {
      const { size } = await fh.stat();
      if (size <= offset) return [];
      const buf = Buffer.alloc(size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      offset += bytesRead;
      pending += buf.subarray(0, bytesRead).toString('utf8');
      const lastNl = pending.lastIndexOf('\n');
      if (lastNl < 0) return [];
      const complete = pending.slice(0, lastNl + 1);
      pending = pending.slice(lastNl + 1);
      return parseLog(complete);
    };
    const first = select(await readNew(), opts, now());
    for (const r of first) limit.write(out, formatRecord(r, opts.timestamps ?? false));
    if (!opts.follow || limit.exhausted || opts.previous) return;

    // Follow: wait for appends until the container stops, then drain once more.
    let watcher: FSWatcher | undefined;
    let wake: (() => void) | undefined;
    try {
      watcher = watch(path, () => wake?.());
    } catch {
      watcher = undefined;
    }
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      const sinceMs = opts.sinceTime ? Date.parse(opts.sinceTime) : undefined;
      while (!signal.aborted && !limit.exhausted) {
        const running = await deps.isRunning(id).catch(() => false);
        for (const r of await readNew()) {
          if (sinceMs !== undefined && r.ms < sinceMs) continue;
          limit.write(out, formatRecord(r, opts.timestamps ?? false));
        }
        if (!running) break;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 250);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      watcher?.close();
    }
  } finally {
    await fh.close();
  }
}
