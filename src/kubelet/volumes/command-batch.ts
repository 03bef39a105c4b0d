/**
 * Runs short host commands (mount, umount) without forking berth once per
 * command: one long-lived `sh`, started on first use, runs them. Forking a
 * process as large as berth takes milliseconds of the event loop each time
 * (8 ms at 150 MB, tens under load), where the shell forks and execs a
 * command in well under one; a pod's tmpfs mount sits on its path to its
 * first container. Commands asked for while a batch runs join the next one,
 * so a hundred pods starting together share a few batches.
 *
 * The shell interprets no caller data: each batch's arguments are set as its
 * positional parameters (`set --` with every argument single-quoted, inside
 * which sh expands nothing), and the commands refer to them as "${n}". Each
 * command's result is one line: a marker, its index, its exit status and its
 * stderr with line breaks turned into spaces; a last line ends the batch.
 * Commands read /dev/null, never the script. A batch that takes longer than
 * a minute, or a shell that dies, fails that batch and the next one starts a
 * new shell; the shell ends with berth, when its stdin closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';

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

/** `a` as one sh word, taken literally: single-quoted, each `'` written as `'\''`. */
export function shellQuote(a: string): string {
  if (a.includes('\0')) throw new Error('an argument contains a NUL byte');
  return `'${a.replaceAll("'", "'\\''")}'`;
}

/** The `sh` script running `batch` (argv lists) from positional parameters; returns it and those parameters. */
export function batchScript(batch: readonly (readonly string[])[]): { script: string; params: string[] } {
  const params: string[] = [];
  const lines = batch.map((argv, i) => {
    const refs = argv.map((a) => {
      params.push(a);
      return `"\${${params.length}}"`;
    });
    return `e=$(${refs.join(' ')} </dev/null 2>&1 >/dev/null); printf '%s %s %s %s\\n' ${marker} ${i} $? "$(printf '%s' "$e" | tr '\\n' ' ')"`;
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

/** How long one batch may take before its shell is killed and the batch fails. */
const batchTimeoutMs = 60_000;

/** The long-lived shell: runs one batch at a time and answers with its output up to the end line. */
class Shell {
  #path: string;
  #child: ChildProcess | undefined;
  #out = '';
  #current: { end: string; resolve: (out: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout } | undefined;
  #seq = 0;

  constructor(path: string) {
    this.#path = path;
  }

  run(script: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = this.#child ?? this.#start();
      const end = `${marker} end ${++this.#seq}`;
      const timer = setTimeout(() => {
        this.#fail(new Error(`the command batch took longer than ${batchTimeoutMs / 1000} s`));
        child.kill('SIGKILL');
      }, batchTimeoutMs);
      this.#current = { end, resolve, reject, timer };
      this.#out = '';
      child.stdin!.write(`${script}\nprintf '%s\\n' '${end}'\n`);
    });
  }

  #start(): ChildProcess {
    const child = spawn(this.#path, [], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.#child = child;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      this.#out += d;
      const c = this.#current;
      const at = c ? this.#out.indexOf(`${c.end}\n`) : -1;
      if (!c || at < 0) return;
      clearTimeout(c.timer);
      this.#current = undefined;
      c.resolve(this.#out.slice(0, at));
    });
    child.stdin!.on('error', () => {});
    const gone = (err: Error) => {
      if (this.#child === child) this.#child = undefined;
      this.#fail(err);
    };
    child.on('error', gone);
    child.on('exit', (code, signal) => gone(new Error(`the command shell ${this.#path} exited (${signal ?? code})`)));
    // The shell never keeps berth alive; a batch in flight does, by its timer.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    return child;
  }

  #fail(err: Error): void {
    const c = this.#current;
    if (!c) return;
    clearTimeout(c.timer);
    this.#current = undefined;
    c.reject(err);
  }
}

export class CommandBatcher {
  #pending: Pending[] = [];
  #running = false;
  #shell: Shell;

  constructor(shell = 'sh') {
    this.#shell = new Shell(shell);
  }

  /** Runs `argv` (resolved on PATH by `sh`); rejects with a CommandError when it exits non-zero. */
  run(argv: readonly string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ argv, resolve, reject });
      if (this.#pending.length === 1 && !this.#running) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    if (this.#running || this.#pending.length === 0) return;
    this.#running = true;
    const batch = this.#pending.splice(0);
    let stdout = '';
    let err: Error | undefined;
    try {
      const { script, params } = batchScript(batch.map((p) => p.argv));
      stdout = await this.#shell.run(`set -- ${params.map(shellQuote).join(' ')}\n${script}`);
    } catch (e) {
      err = e instanceof Error ? e : new Error(String(e));
    }
    const results = parseBatchOutput(stdout, batch.length);
    batch.forEach((p, i) => {
      const r = results[i];
      if (!r) p.reject(err ?? new Error(`${p.argv.join(' ')}: no result from the command batch`));
      else if (r.exitCode !== 0) p.reject(new CommandError(p.argv, r.exitCode, r.stderr));
      else p.resolve();
    });
    this.#running = false;
    if (this.#pending.length) void this.#flush();
  }
}
