/**
 * Client conformance fixture: runs one Kubernetes client's script against a
 * real berth node (test/e2e/harness.ts) and collects the checks it reports.
 *
 * A script prints one JSON line per check, `{"check", "ok", "detail"}`. A 410
 * needs compacted history, which etcd (and berth's store) only produce on
 * their own schedule: a script that prints `{"compact": true}` gets the
 * node's store compacted up to its newest revision — from a second SQLite
 * connection, as berth's own compactor does it — and then a line on stdin.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteLog } from '../../src/store/sqlite-log.ts';
import type { BerthNode } from '../e2e/harness.ts';

export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
}

export interface ClientRun {
  checks: CheckResult[];
  code: number;
  stderr: string;
  /** Lines that were neither a check nor a compaction request. */
  other: string[];
}

/** Compacts the node's store history up to its newest revision. */
export function compactStore(node: BerthNode): number {
  const log = new SqliteLog(join(node.dataDir, 'state.db'));
  try {
    const rev = log.maxRevision();
    log.compact(rev);
    return rev;
  } finally {
    log.close();
  }
}

/**
 * Runs `cmd args` with the node's kubeconfig and `env`, until it exits or
 * `timeoutMs` passes. The client gets a temp directory of its own (TMPDIR),
 * removed afterwards: the Python client's dynamic client caches discovery there.
 */
export function runClient(node: BerthNode, cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<ClientRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'berth-client-'));
  return new Promise<ClientRun>((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...node.env, TMPDIR: tmp, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const run: ClientRun = { checks: [], code: 0, stderr: '', other: [] };
    child.stderr.on('data', (d) => (run.stderr += d));
    child.stdin.on('error', () => {});
    createInterface({ input: child.stdout }).on('line', (line) => {
      let msg: Record<string, unknown> | undefined;
      try {
        msg = JSON.parse(line);
      } catch {
        // Not a protocol line.
      }
      if (msg && typeof msg.check === 'string') run.checks.push(msg as unknown as CheckResult);
      else if (msg?.compact) {
        compactStore(node);
        child.stdin.write('compacted\n');
      } else run.other.push(line);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      run.code = code ?? (signal ? 128 : 1);
      resolve(run);
    });
  }).finally(() => rmSync(tmp, { recursive: true, force: true }));
}

/** A readable account of the failed checks (and of a script that died). */
export function describeFailures(run: ClientRun): string {
  const failed = run.checks.filter((c) => !c.ok).map((c) => `✗ ${c.check}\n${c.detail}`);
  return [...failed, `exit ${run.code}`, run.stderr.slice(-4000), run.other.join('\n').slice(-2000)].join('\n');
}
