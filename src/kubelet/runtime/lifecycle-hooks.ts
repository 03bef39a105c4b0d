/**
 * Runs a container's postStart or preStop handler (the kubelet's lifecycle
 * `handlerRunner`): `exec` through the runtime's ExecSync (no timeout of its
 * own), `httpGet` against the pod IP (any HTTP answer counts; only transport
 * failures fail the hook; an HTTP answer to HTTPS is retried over HTTP), and
 * `sleep`. `tcpSocket` is not a supported handler and always fails.
 *
 * Returns undefined on success, else the kubelet's failure message (used as
 * the PostStartHookError waiting message; events only say "PostStartHook
 * failed" / "PreStopHook failed", so secrets in output never reach events).
 */
import type { Container, LifecycleHandler, Pod } from '../../api/api.ts';
import { goQuote } from '../../api/api.ts';
import { goValue } from '../../api/go-format.ts';
import { sleep, type Clock } from '../../clock/clock.ts';
import { podDescription } from '../events/events.ts';
import { headOfOutput, isExecTimeout, maxExecOutputBytes, runtimeErrorText, type ExecFn } from '../prober/exec-action.ts';
import { doHttpGet, HttpGetError, httpGetRequest } from '../prober/http-get.ts';

export interface HookContext {
  pod: Pod;
  container: Container;
  containerId: string;
  podIP: string;
  exec: ExecFn;
  /** The node agent's clock: a `sleep` handler waits on it. */
  clock: Clock;
  /** Aborted when the hook's time is up (preStop: the grace period). */
  signal?: AbortSignal;
}

/**
 * How much of an exec hook's stdout and stderr its failure message quotes.
 * The kubelet quotes all of it (bounded only by the CRI message size, 16 MiB
 * per stream); the message becomes the container's waiting message in the pod
 * object, so berth keeps what an exec probe keeps.
 */
const maxHookOutputBytes = maxExecOutputBytes;

/** An HTTP hook gets the same generous client timeout the kubelet's hook client uses. */
const httpHookTimeoutMs = 10 * 60_000;

export async function runLifecycleHandler(handler: LifecycleHandler, ctx: HookContext): Promise<string | undefined> {
  const { pod, container } = ctx;
  const where = `for Container ${goQuote(container.name)} in Pod ${goQuote(podDescription(pod))}`;
  if (handler.exec) {
    const cmd = handler.exec.command ?? [];
    let err: string | undefined;
    let output = '';
    try {
      const r = await ctx.exec(ctx.containerId, cmd, 0);
      output = headOfOutput(r, maxHookOutputBytes).toString('utf8');
      if (r.exitCode !== 0) err = `command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr.subarray(0, maxHookOutputBytes).toString('utf8')}`;
    } catch (e) {
      err = isExecTimeout(e) ? `command ${goQuote(cmd.join(' '))} timed out` : runtimeErrorText(e);
    }
    if (err === undefined) return undefined;
    return `Exec lifecycle hook (${goValue(cmd)}) ${where} failed - error: ${err}, message: ${goQuote(output)}`;
  }
  if (handler.httpGet) {
    const path = handler.httpGet.path ?? '';
    const fail = (e: string) => `HTTP lifecycle hook (${path}) ${where} failed - error: ${e}`;
    let req;
    try {
      req = httpGetRequest(handler.httpGet, container, ctx.podIP, 'lifecycle');
    } catch (e) {
      return fail((e as Error).message);
    }
    try {
      await doHttpGet(req, httpHookTimeoutMs, ctx.signal);
      return undefined;
    } catch (e) {
      if (!(e instanceof HttpGetError)) throw e;
      if (!e.httpResponseToHttps) return fail(e.message);
      try {
        const plain = { url: req.url.replace(/^https:/, 'http:'), headers: new Map(req.headers) };
        plain.headers.delete('Authorization');
        await doHttpGet(plain, httpHookTimeoutMs, ctx.signal);
        return undefined;
      } catch (e2) {
        if (!(e2 instanceof HttpGetError)) throw e2;
        return fail(e.message);
      }
    }
  }
  if (handler.sleep) {
    const seconds = handler.sleep.seconds;
    try {
      await sleep(ctx.clock, seconds * 1000, ctx.signal);
      return undefined;
    } catch {
      return `Sleep lifecycle hook (${seconds}) ${where} failed - error: container terminated before sleep hook finished`;
    }
  }
  return `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`;
}
