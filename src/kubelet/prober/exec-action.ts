/**
 * Commands run in a container through the runtime's ExecSync, for `exec`
 * probes and exec lifecycle hooks. The runtime call is injected (`ExecFn`):
 * the prober does not talk CRI itself.
 *
 * Error contract of `ExecFn`: it rejects with an error whose `code` is the
 * gRPC status name (`DEADLINE_EXCEEDED` when the command outlived its
 * timeout) and whose message may start with the CRI method name.
 */

export interface ExecOutput {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/** Runs `cmd` in the container; `timeoutSeconds` 0 means no timeout. */
export type ExecFn = (containerId: string, cmd: string[], timeoutSeconds: number) => Promise<ExecOutput>;

/**
 * `maxReadLength` (pkg/probe/exec): a probe keeps at most 10 KiB of a
 * command's output. ExecSync itself is bounded by containerd (16 MiB per
 * stream) and the CRI client's message limit.
 */
export const maxExecOutputBytes = 10 * 1024;

/**
 * The first `max` bytes of stdout followed by stderr (the kubelet's
 * `RunInContainer` appends stderr to stdout), copying no more than `max`.
 */
export function headOfOutput(r: Pick<ExecOutput, 'stdout' | 'stderr'>, max: number): Buffer {
  const out = r.stdout.subarray(0, max);
  return out.length === max ? Buffer.from(out) : Buffer.concat([out, r.stderr.subarray(0, max - out.length)]);
}

export type ExecProbeOutcome =
  | { result: 'success' | 'failure'; output: string }
  | { result: 'unknown'; error: string };

/** The kubelet's text for a runtime error: `rpc error: code = Unknown desc = …`. */
export function runtimeErrorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const desc = (e?.message ?? String(err)).replace(/^[A-Z][A-Za-z]+: /, '');
  if (!e?.code) return desc;
  const code = e.code
    .toLowerCase()
    .split('_')
    .map((w) => (w ? w[0].toUpperCase() + w.slice(1) : w))
    .join('');
  return `rpc error: code = ${code} desc = ${desc}`;
}

export function isExecTimeout(err: unknown): boolean {
  return (err as { code?: string })?.code === 'DEADLINE_EXCEEDED';
}

/** `execprobe.Probe`: exit 0 succeeds, any other exit fails, a timeout fails with its own text. */
export async function execProbe(exec: ExecFn, containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecProbeOutcome> {
  try {
    const r = await exec(containerId, cmd, timeoutSeconds);
    const output = headOfOutput(r, maxExecOutputBytes).toString('utf8');
    return { result: r.exitCode === 0 ? 'success' : 'failure', output };
  } catch (err) {
    if (isExecTimeout(err)) return { result: 'failure', output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
    return { result: 'unknown', error: runtimeErrorText(err) };
  }
}
