/**
 * streaming — the kubelet's half of `kubectl exec`, `attach` and
 * `port-forward`: checks that the target runs, with the kubelet's own error
 * texts, then asks CRI for a streaming URL on containerd's streaming server
 * (the kubelet's GetExec/GetAttach/GetPortForward). The apiserver connects to
 * that URL; no bytes of the session pass through here.
 *
 * State: none; every call reads the runtime afresh (a container that just
 * exited must not be exec'd into).
 */
import { goQuote, type Container, type Pod } from '../api/api.ts';
import { NodeStreamError, type AttachOptions, type ExecOptions } from '../apiserver/node-streams.ts';
import { isNotFound, rpcErrorText } from '../cri/errors.ts';
import type { RuntimeService } from '../cri/types.ts';
import { Label } from './runtime/labels.ts';

export type StreamingRuntime = Pick<RuntimeService, 'exec' | 'attach' | 'portForward' | 'listContainers' | 'listPodSandbox'>;

/** `name_namespace`, the kubelet's pod full name. */
function podFullName(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? 'default'}`;
}

/**
 * A CRI failure as the kubelet's streaming.WriteError answers it: 404 for
 * NotFound, 500 otherwise, with the gRPC error text.
 */
function criRefusal(err: unknown): NodeStreamError {
  return new NodeStreamError(isNotFound(err) ? 404 : 500, rpcErrorText(err));
}

export class NodeStreamer {
  #runtime: StreamingRuntime;

  constructor(runtime: StreamingRuntime) {
    this.#runtime = runtime;
  }

  /** The id of the running instance of `name` in the pod, if any (the kubelet's findContainer over running pods). */
  async #runningContainer(pod: Pod, name: string): Promise<string | undefined> {
    const uid = pod.metadata?.uid ?? '';
    const list = await this.#runtime.listContainers({
      state: 'CONTAINER_RUNNING',
      labelSelector: { [Label.podUid]: uid, [Label.containerName]: name },
    });
    list.sort((a, b) => b.createdAt - a.createdAt);
    return list[0]?.id;
  }

  async execUrl(pod: Pod, opts: ExecOptions): Promise<string> {
    const id = await this.#runningContainer(pod, opts.container);
    if (!id) throw new NodeStreamError(500, `container not found (${goQuote(opts.container)})`);
    try {
      return await this.#runtime.exec({
        containerId: id,
        cmd: opts.command,
        tty: opts.tty,
        stdin: opts.stdin,
        stdout: opts.stdout,
        // A TTY merges stderr into stdout; the kubelet drops the flag.
        stderr: opts.tty ? false : opts.stderr,
      });
    } catch (err) {
      throw criRefusal(err);
    }
  }

  async attachUrl(pod: Pod, opts: AttachOptions): Promise<string> {
    const id = await this.#runningContainer(pod, opts.container);
    const notFound = () => new NodeStreamError(500, `container ${opts.container} not found in pod ${podFullName(pod)}`);
    if (!id) throw notFound();
    const spec = pod.spec;
    const all: Container[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...((spec?.ephemeralContainers ?? []) as Container[])];
    const c = all.find((x) => x.name === opts.container);
    if (!c) throw notFound();
    // Whether the process has a TTY was fixed when it started: the spec decides, not the request.
    const tty = c.tty ?? false;
    try {
      return await this.#runtime.attach({ containerId: id, tty, stdin: opts.stdin, stdout: opts.stdout, stderr: tty ? false : opts.stderr });
    } catch (err) {
      throw criRefusal(err);
    }
  }

  async portForwardUrl(pod: Pod, ports: number[]): Promise<string> {
    const uid = pod.metadata?.uid ?? '';
    const selector = { [Label.podUid]: uid };
    const [sandboxes, running] = await Promise.all([
      this.#runtime.listPodSandbox({ labelSelector: selector }),
      this.#runtime.listContainers({ state: 'CONTAINER_RUNNING', labelSelector: selector }),
    ]);
    const alive = sandboxes.some((s) => s.state === 'SANDBOX_READY') || running.length > 0;
    if (!alive) throw new NodeStreamError(500, `pod not found (${goQuote(podFullName(pod))})`);
    sandboxes.sort((a, b) => b.createdAt - a.createdAt);
    const sandbox = sandboxes[0];
    if (!sandbox) throw new NodeStreamError(500, `failed to find sandboxID for pod ${podFullName(pod)}(${uid})`);
    try {
      return await this.#runtime.portForward(sandbox.id, ports);
    } catch (err) {
      throw criRefusal(err);
    }
  }
}
