/**
 * `berth serve`: runs the node in the foreground until SIGTERM or SIGINT,
 * then stops it cleanly (pods keep running in containerd and are picked up
 * at the next start). With `--detach`, starts the same in the background
 * and returns once it is ready.
 */
import { BerthNode, NodeStartError } from '../main.ts';
import { defaultDataDir } from '../paths.ts';
import { ExitCode, UsageError } from './cli-errors.ts';
import { startDetachedServe } from './detached-serve.ts';
import { apiPort, parseFlags } from './flags.ts';
import { LocalNode } from './local-node.ts';

export const serveHelp = `Usage: berth serve [--data-dir DIR] [--port N] [--node-name NAME] [--detach] [--verbose]

Runs a Kubernetes node on this machine: an API server on https://127.0.0.1:N
for kubectl, berth's node agent, and berth's own containerd. Prints one line
per start-up step with the elapsed time; when it is ready it writes
DIR/kubeconfig and prints how to use it.

Flags:
  --data-dir DIR     where berth keeps its state (default: $BERTH_DATA_DIR, else ${defaultDataDir()})
  --port N           API server port on 127.0.0.1 (default: $BERTH_PORT, else 6443; 0 picks a free one)
  --node-name NAME   the node's name (default: this host's name)
  -d, --detach       run in the background (output in DIR/serve.log); return once ready
  --verbose          print diagnostics to stderr

In the foreground, stop it with Ctrl-C or SIGTERM; running pods keep running
and are picked up again by the next "berth serve" with the same data
directory. "berth down" stops pods, berth and containerd.
`;

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseFlags('serve', argv, {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'node-name': { type: 'string' },
    detach: { type: 'boolean', short: 'd' },
    verbose: { type: 'boolean' },
  });
  const port = apiPort(values.port, 'serve');
  if (values['data-dir'] === '') throw new UsageError('--data-dir must not be empty', 'serve');
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const local = new LocalNode(dataDir);
  const running = local.servePid();
  if (running !== undefined) {
    process.stderr.write(`berth: berth serve is already running on ${local.dataDir} (pid ${running}): export KUBECONFIG=${local.kubeconfigPath}\n`);
    return ExitCode.Failure;
  }

  if (values.detach) {
    if (values.verbose) throw new UsageError('--verbose goes with the foreground mode; with --detach, diagnostics are in DIR/berth.log', 'serve');
    const d = await startDetachedServe(dataDir, {
      port,
      nodeName: values['node-name'],
      onLine: (l) => process.stderr.write(`${l}\n`),
    });
    process.stdout.write(`berth is ready: export KUBECONFIG=${d.node.kubeconfigPath}\n`);
    process.stderr.write(`berth: serving in the background (pid ${d.pid}, output in ${d.node.serveLogPath}); stop it with "berth down${values['data-dir'] ? ` --data-dir ${d.node.dataDir}` : ''}"\n`);
    return ExitCode.Ok;
  }

  const verbose = values.verbose === true;
  const node = new BerthNode({
    dataDir,
    port,
    nodeName: values['node-name'],
    progress: (step, ms) => process.stderr.write(`berth: ${step} (${ms} ms)\n`),
    log: verbose ? (m) => process.stderr.write(`berth: ${m}\n`) : undefined,
  });
  const ac = new AbortController();
  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      ac.abort();
      await node.stop();
    })();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  try {
    await node.start(ac.signal);
  } catch (err) {
    await node.stop();
    if (err instanceof NodeStartError) throw err;
    if (ac.signal.aborted) return ExitCode.Ok;
    throw err;
  }
  process.stdout.write(`berth is ready: export KUBECONFIG=${node.kubeconfigPath}\n`);
  await new Promise<void>((resolve) => ac.signal.addEventListener('abort', () => resolve(), { once: true }));
  await stopping;
  process.off('SIGTERM', shutdown);
  process.off('SIGINT', shutdown);
  return ExitCode.Ok;
}
