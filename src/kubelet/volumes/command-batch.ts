/**
 * Runs short host commands (mount, umount) without forking berth once per
 * command: every command asked for in the same turn of the event loop joins
 * one batch, run by a single `sh` that executes them in order. Forking a
 * process as large as berth takes milliseconds of the event loop each time
 * (tens under load), so a hundred pods starting together would otherwise
 * stall every pod worker; `sh` forks cheaply.
 *
 * The script holds no caller data: arguments travel as `sh`'s positional
 * parameters, so nothing is quoted or interpreted. Each command's result is
 * one line: a marker, its index, its exit status and its stderr with line
 * breaks turned into spaces.
 */
import { execFile } from 'node:child_process';

export class CommandError extends Error {
  readonly stderr: string;
  readonly exitCode: number;
  constructor(argv: readonly string[], exitCode: number, stderr: string) {
    super(`${argv.join(' ')} exited with status ${exitCode}${stderr ? `: ${stderr}` : ''}`);
    this.name = 'CommandError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

interface Pending {
  argv: readonly string[];
  resolve: () => void;
  reject: (err: Error) => void;
}

const marker = '@berth-batch@';

/** The `sh` script running `batch` (argv lists) from positional parameters; returns it and those parameters. */
export function batchScript(batch: readonly (readonly string[])[]): { script: string; params: string[] } {
  const params: string[] = [];
  const lines = batch.map((argv, i) => {
    const refs = argv.map((a) => {
      params.push(a);
      return `"\${${params.length}}"`;
    });
    return `e=$(${refs.join(' ')} 2>&1 >/dev/null); printf '%s %s %s %s\\n' ${marker} ${i} $? "$(printf '%s' "$e" | tr '\\n' ' ')"`;
  });
  return { script: lines.join('\n'), params };
}

/** Parses the batch's output: exit status and stderr per command index. */
export function parseBatchOutput(stdout: string, count: number): ({ exitCode: number; stderr: string } | undefined)[] {
  const out: ({ exitCode: number; stderr: string } | undefined)[] = new Array(count).fill(undefined);
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${marker} (\\d+) (\\d+) ?(.*)$`).exec(line);
    if (m && Number(m[1]) < count) out[Number(m[1])] = { exitCode: Number(m[2]), stderr: m[3].trim() };
  }
  return out;
}

export class CommandBatcher {
  #pending: Pending[] = [];
  #shell: string;

  constructor(shell = 'sh') {
    this.#shell = shell;
  }

  /** Runs `argv` (resolved on PATH by `sh`); rejects with a CommandError when it exits non-zero. */
  run(argv: readonly string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ argv, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#pending.splice(0);
    const { script, params } = batchScript(batch.map((p) => p.argv));
    execFile(this.#shell, ['-c', script, 'sh', ...params], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      const results = parseBatchOutput(String(stdout ?? ''), batch.length);
      batch.forEach((p, i) => {
        const r = results[i];
        if (!r) p.reject(err ?? new Error(`${p.argv.join(' ')}: no result from the command batch`));
        else if (r.exitCode !== 0) p.reject(new CommandError(p.argv, r.exitCode, r.stderr));
        else p.resolve();
      });
    });
  }
}
