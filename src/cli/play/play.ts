/**
 * play — `berth play -f pod.yaml`: the one-shot mode. Applies manifests to a
 * node, shows live what `kubectl get pods -w` and `kubectl get events -w`
 * would show plus the containers' logs, and exits with the pods' outcome.
 *
 * Owns: the command (flags, help, exit code), choosing the node, the
 * ephemeral node's life (started detached in a fresh temp data directory,
 * torn down and removed at the end — also on Ctrl-C — unless --keep).
 * The run itself is session.ts; applying, apply.ts; deciding, outcome.ts;
 * printing, live-view.ts; reading files, manifests.ts.
 *
 * Does not own: the node (a `berth serve` child, detached-serve.ts) or its
 * teardown steps (node-teardown.ts).
 *
 * State: the session and, for an ephemeral node, its data directory.
 * Signals: SIGINT/SIGTERM abort the run, then cleanup runs; a second one
 * during cleanup is ignored (with a note saying how to finish by hand).
 */
import { basename, dirname, join } from 'node:path';
import { defaultDataDir } from '../../paths.ts';
import { ExitCode, UsageError } from '../cli-errors.ts';
import { startDetachedServe } from '../detached-serve.ts';
import { parseDuration, parseFlags } from '../flags.ts';
import { defaultKubeconfigFiles, KubeClient, KubeconfigError, loadKubeTarget } from '../kube/kube.ts';
import { LocalNode } from '../local-node.ts';
import { seconds } from './live-view.ts';
import { ephemeralDataDir } from './scratch-dir.ts';
import { ManifestError, readManifests, type Manifest } from './manifests.ts';

// The session (the live view) and the teardown are loaded only when needed:
// for an ephemeral node, while its `berth serve` starts (~0.1 s of module
// loading that would otherwise come before it).
const loadSession = () => import('./session.ts');
const loadTeardown = () => import('../node-teardown.ts');

export const playHelp = `Usage: berth play -f FILE [-f FILE ...] [--timeout DURATION] [--keep] [--quiet]
                  [--ephemeral | --kubeconfig FILE [--context NAME]] [-n NAMESPACE]

Applies the manifests to a node, shows live what "kubectl get pods -w" and
"kubectl get events -w" would show and each container's log as it runs, and
exits with the outcome of the pods and workloads.

Which node: --kubeconfig FILE, else $KUBECONFIG (unless it is the kubeconfig
of a berth node that is not running), else a berth node serving the default
data directory (${defaultDataDir()}), else an ephemeral node:
started in a fresh temporary data directory, used for this run only, and
removed at the end (pods stopped, containerd stopped, directory removed),
also on Ctrl-C.

Outcome (exit code):
  0    every pod reached its goal: Running with all containers ready
       (restartPolicy Always), or Succeeded (Never, OnFailure: run to completion);
       every Deployment, DaemonSet and StatefulSet rolled out (as "kubectl
       rollout status" says: all replicas updated and available); every Job
       Complete (CronJobs are applied, not waited for)
  1    a pod failed: phase Failed (for example Init:Error under Never); a
       container waiting in CrashLoopBackOff, ErrImagePull, ImagePullBackOff,
       CreateContainerConfigError and the like; a Deployment exceeded its
       progress deadline, or one of a workload's pods failed so or cannot be
       scheduled; a Job failed (BackoffLimitExceeded, ...); or the timeout
       passed, or applying failed. The failing container's reason and last
       log lines are shown.
  2    usage error; nothing was applied
  130  interrupted (Ctrl-C)

Flags:
  -f, --filename FILE     a manifest file, a directory of them, or - for stdin
                          (multi-document YAML and kind: List are fine); namespaces
                          are applied first and pods last, each in file order
  --timeout DURATION      give up after this long (default 5m; e.g. 90s, 2m30s)
  --keep                  leave the ephemeral node running at the end and print how
                          to reach it with kubectl (remove it later with "berth down")
  -q, --quiet             print only the outcome
  --ephemeral             always start an ephemeral node, ignoring $KUBECONFIG and a running node
  --kubeconfig FILE       use the cluster this kubeconfig names (any Kubernetes API server)
  --context NAME          the kubeconfig context to use
  -n, --namespace NAME    namespace for objects that name none (default: the context's, else default)
`;

interface Target {
  client?: KubeClient;
  /** Set when this run started the node. */
  ephemeral?: LocalNode;
  describe: string;
}

/**
 * $KUBECONFIG names the kubeconfig of a berth node that is not running (left
 * exported after "berth down"): play then starts an ephemeral node instead
 * of failing to connect.
 */
function stoppedBerthNode(kubeconfigEnv: string, progress: (l: string) => void): boolean {
  if (kubeconfigEnv.includes(':') || basename(kubeconfigEnv) !== 'kubeconfig') return false;
  const node = new LocalNode(dirname(kubeconfigEnv));
  if (!node.exists || node.servePid() !== undefined) return false;
  progress(`ignoring $KUBECONFIG: the berth node in ${node.dataDir} is not running`);
  return true;
}

function existingTarget(files: string[], context: string | undefined, why: string): Target {
  const target = loadKubeTarget(files, context);
  return { client: new KubeClient(target), describe: `${target.server.origin} (context "${target.context}" from ${why})` };
}

export async function play(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'play',
    argv,
    {
      filename: { type: 'string', short: 'f', multiple: true },
      timeout: { type: 'string' },
      keep: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      ephemeral: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
    },
    { positionals: true },
  );
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}": manifests are passed with -f FILE`, 'play');
  const files = values.filename ?? [];
  if (files.length === 0) throw new UsageError('no manifests: pass at least one with -f FILE', 'play');
  if (values.ephemeral && values.kubeconfig) throw new UsageError('--ephemeral and --kubeconfig exclude each other', 'play');
  if (values.context !== undefined && values.ephemeral) throw new UsageError('--context goes with a kubeconfig, not --ephemeral', 'play');
  const timeoutMs = values.timeout === undefined ? 5 * 60_000 : parseDuration(values.timeout, '--timeout', 'play');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be longer than 0s', 'play');
  const quiet = values.quiet === true;
  // A reader that goes away (`berth play … | head`) ends the output, not the
  // run: an unhandled EPIPE would kill play before it removes its node.
  const closed = new Set<NodeJS.WriteStream>();
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => closed.add(stream));
  const write = (stream: NodeJS.WriteStream, text: string) => {
    if (!closed.has(stream)) stream.write(text);
  };
  const out = (l: string) => write(process.stdout, `${l}\n`);
  const note = (l: string) => write(process.stderr, `berth: ${l}\n`);
  const progress = (l: string) => {
    if (!quiet) note(l);
  };

  let manifests: Manifest[];
  try {
    manifests = readManifests(files);
  } catch (err) {
    if (err instanceof ManifestError) {
      process.stderr.write(`error: ${err.message}\n`);
      return ExitCode.Failure;
    }
    throw err;
  }

  const ac = new AbortController();
  let cleaning = false;
  let cleanupHint = '';
  const onSignal = () => {
    if (cleaning) {
      note(`already cleaning up; please wait${cleanupHint}`);
      return;
    }
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let target: Target | undefined;
  let code: number = ExitCode.Failure;
  try {
    code = await (async (): Promise<number> => {
      try {
        if (values.kubeconfig) target = existingTarget([values.kubeconfig], values.context, values.kubeconfig);
        else if (!values.ephemeral && process.env.KUBECONFIG && !stoppedBerthNode(process.env.KUBECONFIG, progress)) {
          target = existingTarget(defaultKubeconfigFiles(), values.context, '$KUBECONFIG');
        }
        else if (!values.ephemeral && new LocalNode(defaultDataDir()).servePid() !== undefined) {
          target = existingTarget([new LocalNode(defaultDataDir()).kubeconfigPath], values.context, `the node serving ${defaultDataDir()}`);
        }
      } catch (err) {
        if (err instanceof KubeconfigError) {
          process.stderr.write(`error: ${err.message}\n`);
          return ExitCode.Failure;
        }
        throw err;
      }
      if (target) {
        if (values.keep) throw new UsageError('--keep is for an ephemeral node; this run uses an existing one, which keeps running anyway', 'play');
        progress(`using ${target.describe}`);
      } else {
        const started = performance.now();
        const { dir: dataDir, tmpfs } = ephemeralDataDir();
        progress(`starting an ephemeral node in ${dataDir}${tmpfs ? ' (a tmpfs)' : ''}`);
        const node = new LocalNode(dataDir);
        target = { ephemeral: node, describe: dataDir };
        try {
          const serving = startDetachedServe(dataDir, { port: 0, onLine: (l) => progress(l.replace(/^berth: /, '')), signal: ac.signal });
          void loadSession().catch(() => {});
          void loadTeardown().catch(() => {});
          await serving;
        } catch (err) {
          note((err as Error).message);
          return ac.signal.aborted ? ExitCode.Interrupted : ExitCode.Failure;
        }
        target.client = new KubeClient(loadKubeTarget([node.kubeconfigPath]));
        progress(`node ready in ${seconds(performance.now() - started)}; while this runs: export KUBECONFIG=${node.kubeconfigPath}`);
      }
      const client = target.client!;
      const { PlaySession } = await loadSession();
      const result = await new PlaySession({
        client,
        manifests,
        namespace: values.namespace ?? client.target.namespace,
        quiet,
        timeoutMs,
        signal: ac.signal,
        out,
        note,
      }).run();
      return result.kind === 'ok' ? ExitCode.Ok : result.kind === 'interrupted' ? ExitCode.Interrupted : ExitCode.Failure;
    })();
  } finally {
    cleaning = true;
    target?.client?.close();
    const node = target?.ephemeral;
    if (node && values.keep && node.servePid() !== undefined) {
      out(`the node keeps running: export KUBECONFIG=${node.kubeconfigPath}`);
      out(`remove it with: berth down --data-dir ${node.dataDir} --purge`);
    } else if (node) {
      cleanupHint = ` (or, if it is stuck: berth down --data-dir ${node.dataDir} --purge)`;
      const started = performance.now();
      progress('removing the ephemeral node');
      try {
        const { tearDownNode } = await loadTeardown();
        await tearDownNode(node, { purge: true, gracePeriodSeconds: 1, podsTimeoutMs: 60_000, log: progress });
        progress(`ephemeral node removed (${seconds(performance.now() - started)})`);
      } catch (err) {
        note(`removing the ephemeral node failed: ${(err as Error).message}; finish with: berth down --data-dir ${node.dataDir} --purge`);
        if (code === ExitCode.Ok) code = ExitCode.Failure;
      }
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return code;
}
