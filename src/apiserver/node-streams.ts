/**
 * The narrow interface through which the apiserver reaches the node for
 * streaming subresources. The kubelet implements it; the apiserver knows
 * nothing else about the node.
 */
import type { Duplex, Writable } from 'node:stream';
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

export interface ExecOptions {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface NodeStreams {
  /**
   * Writes a container's log to `out`. Throws an ApiError (BadRequest with the
   * kubelet's texts) before writing anything when there is no log to serve.
   * With `follow`, resolves when the container stops or `signal` aborts.
   */
  logs(pod: Pod, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
  /** The CRI streaming URL for exec/attach in a running container; throws ApiError otherwise. */
  execUrl?(pod: Pod, opts: ExecOptions): Promise<string>;
  attachUrl?(pod: Pod, opts: Omit<ExecOptions, 'command'>): Promise<string>;
  portForwardUrl?(pod: Pod, ports: number[]): Promise<string>;
}

export type UpgradeHandler = (socket: Duplex, head: Buffer) => void;
