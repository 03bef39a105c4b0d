/**
 * Drives an interactive command on a real pseudo-terminal, for the
 * `kubectl exec -it` / `attach -it` tests: util-linux `script` allocates the
 * pty and copies our pipe to it; `-e` makes its exit code the command's.
 *
 * The shell line first prints the pty's path (`PTY=/dev/pts/N`) so a test
 * can resize the terminal from outside with `stty -F`, which makes the
 * kernel send SIGWINCH to kubectl, as a terminal window resize does.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

export class PtySession {
  #child: ChildProcess;
  #out = '';
  readonly exited: Promise<number>;

  /** `command` is a shell line run on the pty, after the size is set to rows × cols. */
  constructor(command: string, env: NodeJS.ProcessEnv, size = { rows: 24, cols: 80 }) {
    const line = `echo "PTY=$(tty)"; stty rows ${size.rows} cols ${size.cols}; exec ${command}`;
    this.#child = spawn('script', ['-qefc', line, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout!.on('data', (d: Buffer) => (this.#out += d.toString('utf8')));
    this.#child.stderr!.on('data', (d: Buffer) => (this.#out += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.#child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : 1))));
  }

  /** Everything the terminal showed, carriage returns removed. */
  get output(): string {
    return this.#out.replace(/\r/g, '');
  }

  send(text: string): void {
    this.#child.stdin!.write(text);
  }

  async waitFor(re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = this.output.match(re);
      if (m) return m;
      if (Date.now() > end) throw new Error(`the terminal never showed ${re} within ${timeoutMs} ms; it showed:\n${this.output}`);
      await sleep(50);
    }
  }

  /** Resizes the outer terminal (kubectl's), as a window resize does. */
  async resize(rows: number, cols: number): Promise<void> {
    const [, pty] = await this.waitFor(/PTY=(\/dev\/pts\/\d+)/);
    await promisify(execFile)('stty', ['-F', pty, 'rows', String(rows), 'cols', String(cols)], { timeout: 10_000 });
  }

  /**
   * Types `line` (which must print something matching `re`) until the
   * output shows `re`; for effects that reach the container asynchronously.
   */
  async retypeUntil(line: string, re: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const from = this.output.length;
      this.send(`${line}\n`);
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline) {
        const m = this.output.slice(from).match(re);
        if (m) return m;
        await sleep(50);
      }
      if (Date.now() > end) throw new Error(`the terminal never showed ${re}; it showed:\n${this.output}`);
    }
  }

  /** Ends the session from outside (kubectl dies as on a closed terminal). */
  async kill(): Promise<number> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    return this.exited;
  }

  closeInput(): void {
    this.#child.stdin!.end();
  }
}
