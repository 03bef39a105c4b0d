/**
 * The narrow interface through which the apiserver reaches the node for
 * streaming subresources. The kubelet implements it; the apiserver knows
 * nothing else about the node.
 */
import type { Writable } from 'node:stream';
import type { Pod } from '../api/api.ts';

export interface LogOptions {
  container: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339. */
  sinceTime?: string;
  limitBytes?: number;
}

export interface AttachOptions {
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface ExecOptions extends AttachOptions {
  command: string[];
}

/**
 * The node refused a streaming request the way the kubelet's streaming
 * server does: an HTTP status and a plain-text message (e.g. 500
 * `container not found ("x")`). kubectl shows it as `unable to upgrade
 * connection: <message>`.
 */
export class NodeStreamError extends Error {
  readonly httpStatus: number;
  constructor(httpStatus: number, message: string) {
    super(message);
    this.name = 'NodeStreamError';
    this.httpStatus = httpStatus;
  }
}

export interface NodeStreams {
  /**
   * Writes a container's log to `out`. Throws an ApiError (BadRequest with the
   * kubelet's texts) before writing anything when there is no log to serve.
   * With `follow`, resolves when the container stops or `signal` aborts.
   */
  logs(pod: Pod, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
  /**
   * The CRI streaming URL (containerd's SPDY remotecommand server) for exec in
   * a running container. Throws NodeStreamError with the kubelet's text when
   * the container is not running, ApiError when the node cannot answer.
   */
  execUrl(pod: Pod, opts: ExecOptions): Promise<string>;
  /** The same for attach; the TTY setting comes from the container's spec, as in the kubelet. */
  attachUrl(pod: Pod, opts: AttachOptions): Promise<string>;
  /** The CRI streaming URL for port-forward into the pod's sandbox. */
  portForwardUrl(pod: Pod, ports: number[]): Promise<string>;
}
