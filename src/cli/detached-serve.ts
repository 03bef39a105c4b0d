/**
 * Starting `berth serve` in the background (`berth serve --detach`, and the
 * ephemeral node of `berth play`): a child in its own session, so Ctrl-C in
 * the terminal does not reach it, with stdout and stderr appended to
 * `<dataDir>/serve.log` (a file, not a pipe, so it outlives the command that
 * started it). The caller sees the log's lines as they come, up to the ready
 * line or the child's early exit.
 */
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalNode } from './local-node.ts';

export const READY_LINE = 'berth is ready';
const BERTH_JS = join(import.meta.dirname, 'berth.js');

export interface DetachedServe {
  pid: number;
  node: LocalNode;
}

export class DetachedServeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DetachedServeError';
  }
}

/**
 * Starts `berth serve --data-dir DIR --port PORT` detached and resolves once
 * it printed its ready line. `onLine` gets each line of its output before
 * that (the start-up progress). Rejects, with the output's tail, when the
 * child exits first or `timeoutMs` passes (the child is then stopped).
 */
export async function startDetachedServe(
  dataDir: string,
  opts: { port: number; nodeName?: string; onLine?: (line: string) => void; timeoutMs?: number; signal?: AbortSignal },
): Promise<DetachedServe> {
  const node = new LocalNode(dataDir);
  mkdirSync(node.dataDir, { recursive: true, mode: 0o700 });
  const fd = openSync(node.serveLogPath, 'a', 0o600);
  // Earlier runs' lines (a ready line among them) are not this start's.
  const startOffset = fstatSync(fd).size;
  const args = [BERTH_JS, 'serve', '--data-dir', node.dataDir, '--port', String(opts.port)];
  if (opts.nodeName) args.push('--node-name', opts.nodeName);
  let child;
  try {
    child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  let exited: string | undefined;
  child.on('exit', (code, sig) => (exited = sig ? `signal ${sig}` : `code ${code}`));
  child.on('error', (err) => (exited = err.message));
  const pid = child.pid;
  if (!pid) throw new DetachedServeError(`start berth serve: ${exited ?? 'spawn failed'}`);

  const seen: string[] = [];
  const reader = openSync(node.serveLogPath, 'r');
  let offset = startOffset;
  let partial = '';
  const buf = Buffer.alloc(64 * 1024);
  const drain = (): boolean => {
    for (;;) {
      const n = readSync(reader, buf, 0, buf.length, offset);
      if (n <= 0) return false;
      offset += n;
      partial += buf.toString('utf8', 0, n);
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        seen.push(line);
        if (line.startsWith(READY_LINE)) return true;
        opts.onLine?.(line);
      }
    }
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  try {
    for (;;) {
      if (drain()) break;
      if (exited !== undefined) {
        drain();
        throw new DetachedServeError(`berth serve exited (${exited}) before it was ready:\n${seen.slice(-15).join('\n')}`);
      }
      if (opts.signal?.aborted || Date.now() > deadline) {
        process.kill(pid, 'SIGTERM');
        throw new DetachedServeError(
          opts.signal?.aborted ? 'interrupted while berth serve was starting' : `berth serve was not ready within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s:\n${seen.slice(-15).join('\n')}`,
        );
      }
      await sleep(20);
    }
  } finally {
    closeSync(reader);
  }
  child.unref();
  return { pid, node };
}
