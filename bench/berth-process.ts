/** Runs `berth serve` for benchmarks and reads its process figures from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const repo = join(import.meta.dirname, '..');

export class BerthProcess {
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly ready: Promise<number>;
  #exited: Promise<void>;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    const t0 = performance.now();
    this.child = spawn(process.execPath, [join(repo, 'src/cli/berth.js'), 'serve', '--data-dir', dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.#exited = new Promise((r) => this.child.on('close', () => r()));
    this.ready = new Promise((resolve, reject) => {
      createInterface({ input: this.child.stdout! }).on('line', (l) => {
        if (l.startsWith('berth is ready')) resolve(performance.now() - t0);
      });
      this.child.on('close', (code) => reject(new Error(`berth serve exited with ${code}`)));
    });
  }

  get kubeconfig(): string {
    return join(this.dataDir, 'kubeconfig');
  }

  /** Resident set size in MiB. */
  rssMiB(pid = this.child.pid!): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  }

  /** CPU seconds (user + system) used so far. */
  cpuSeconds(pid = this.child.pid!): number {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.#exited;
  }
}
