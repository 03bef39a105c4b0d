/**
 * The two iptables entry points the proxy uses, run asynchronously so a sync
 * never blocks the API server's event loop: `iptables-save -t TABLE` and
 * `iptables-restore -w --noflush` with the transaction on stdin.
 *
 * Binaries come from the search path, as containerd/localnet-firewall.ts
 * finds them, so the rules land in the same backend (nf_tables or legacy) as
 * portmap's and the localnet firewall's. `netns` runs them inside a named
 * network namespace (`ip netns exec`): the kernel tests' way to program a
 * namespace they created and never the host's.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProxyError, ProxyErrorCode } from './proxy-error.ts';
import type { Table } from './restore-transaction.ts';

export interface IptablesRunner {
  /** `iptables-save -t table`. */
  save(table: Table): Promise<string>;
  /** `iptables-restore -w --noflush`; rejects with a ProxyError (IptablesFailed) carrying iptables' message. */
  restore(input: string): Promise<void>;
}

/** A command's deadline: iptables waits for the xtables lock (-w), but never this long. */
const TIMEOUT_MS = 30_000;

export function defaultSearchPath(): string {
  return [process.env.PATH ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'].filter(Boolean).join(':');
}

function which(name: string, path: string): string | undefined {
  for (const dir of path.split(':')) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      if (statSync(file).isFile()) {
        accessSync(file, constants.X_OK);
        return file;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

function run(argv: string[], input: string | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {
      // The command exited before reading its input; its exit status says why.
    });
    child.on('error', (e) => resolve({ code: -1, stdout: '', stderr: e.message }));
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8').trim() || (signal ? `killed by ${signal}` : ''),
      }),
    );
    child.stdin.end(input ?? '');
  });
}

/**
 * The machine's iptables (or a namespace's, with `netns`). Throws a
 * ProxyError (Missing) naming the absent binary.
 */
export function systemIptablesRunner(opts: { path?: string; netns?: string } = {}): IptablesRunner {
  const path = opts.path ?? defaultSearchPath();
  const need = (name: string) => {
    const file = which(name, path);
    if (!file) throw new ProxyError(ProxyErrorCode.Missing, `start the service proxy: "${name}" not found: install it with "apt-get install iptables"`);
    return file;
  };
  const save = need('iptables-save');
  const restore = need('iptables-restore');
  const prefix = opts.netns ? [need('ip'), 'netns', 'exec', opts.netns] : [];
  return {
    async save(table) {
      const r = await run([...prefix, save, '-t', table], undefined);
      if (r.code !== 0) throw new ProxyError(ProxyErrorCode.IptablesFailed, `read the "${table}" table: iptables-save failed: ${r.stderr || `exit code ${r.code}`}`);
      return r.stdout;
    },
    async restore(input) {
      const r = await run([...prefix, restore, '-w', '--noflush'], input);
      if (r.code !== 0) throw new ProxyError(ProxyErrorCode.IptablesFailed, `write service rules: iptables-restore failed: ${r.stderr || `exit code ${r.code}`}`);
    },
  };
}
