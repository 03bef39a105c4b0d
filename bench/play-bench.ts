/**
 * The user's whole path: `npx berth play --ephemeral -f FILE` from the command
 * to its exit, split by the timestamps at which its output lines arrive:
 * start (command → "node ready"), apply (→ the first line about the applied
 * objects), outcome (→ the outcome line, e.g. "Running (2/2 ready) after"),
 * teardown (→ the process's exit).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const repo = join(import.meta.dirname, '..');

export interface PlayTiming {
  startMs: number;
  applyMs: number;
  outcomeMs: number;
  teardownMs: number;
  totalMs: number;
  exitCode: number;
}

export function timePlay(file: string): Promise<PlayTiming> {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  const t0 = performance.now();
  const child = spawn('npx', ['berth', 'play', '--ephemeral', '-f', file], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: { at: number; text: string }[] = [];
  const collect = (s: NodeJS.ReadableStream) => createInterface({ input: s }).on('line', (text) => lines.push({ at: performance.now() - t0, text }));
  collect(child.stdout!);
  collect(child.stderr!);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const totalMs = performance.now() - t0;
      const at = (from: number, re: RegExp) => {
        const i = lines.findIndex((l, k) => k >= from && re.test(l.text));
        return i;
      };
      const ready = at(0, /node ready in/);
      const applied = ready < 0 ? -1 : lines.findIndex((l, k) => k > ready && !/^berth: /.test(l.text));
      const removing = at(0, /removing the ephemeral node/);
      const outcome = removing > 0 ? removing - 1 : -1;
      if (ready < 0 || applied < 0 || outcome < 0) {
        reject(new Error(`berth play's output was not as expected (exit ${code}):\n${lines.map((l) => l.text).join('\n')}`));
        return;
      }
      const t = (i: number) => lines[i].at;
      resolve({
        startMs: t(ready),
        applyMs: t(applied) - t(ready),
        outcomeMs: t(outcome) - t(applied),
        teardownMs: totalMs - t(outcome),
        totalMs,
        exitCode: code ?? -1,
      });
    });
  });
}
