/** Helpers shared by the kubectl-*.test.ts end-to-end tests. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BerthNode, RunResult } from './harness.ts';

/** A pod that ends promptly on SIGTERM (busybox sh runs the trap after the current `sleep 1`). */
export function quickPod(name: string, opts: { namespace?: string; labels?: Record<string, string>; specExtra?: string } = {}): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${opts.namespace ?? 'default'}
  labels: ${JSON.stringify(opts.labels ?? {})}
spec:
${opts.specExtra ?? ''}  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;
}

/** `kubectl apply -f -` with `manifest` on stdin; must succeed. */
export async function applyText(node: BerthNode, manifest: string, ...args: string[]): Promise<string> {
  const r = await node.kubectl(['apply', '-f', '-', ...args], { input: manifest });
  if (r.code !== 0) throw new Error(`kubectl apply failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** Runs `kubectl args` until `predicate` holds for its result, or fails after `timeoutMs`. */
export async function kubectlUntil(
  node: BerthNode,
  args: string[],
  predicate: (r: RunResult) => boolean,
  timeoutMs = 60_000,
): Promise<RunResult> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await node.kubectl(args);
    if (predicate(r)) return r;
    if (Date.now() > end) throw new Error(`kubectl ${args.join(' ')} never satisfied the condition; last (${r.code}): ${r.stdout}${r.stderr}`);
    await sleep(200);
  }
}

/** The jsonpath value of one object, polled until `predicate` holds. */
export async function jsonpathUntil(node: BerthNode, target: string[], jsonpath: string, predicate: (v: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const r = await kubectlUntil(node, ['get', ...target, '-o', `jsonpath=${jsonpath}`], (x) => x.code === 0 && predicate(x.stdout), timeoutMs);
  return r.stdout;
}
