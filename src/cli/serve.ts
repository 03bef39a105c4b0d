/**
 * `berth serve`: runs the node in the foreground until SIGTERM or SIGINT,
 * then stops it cleanly (pods keep running in containerd and are picked up
 * at the next start).
 */
import { parseArgs } from 'node:util';
import { BerthNode, NodeStartError, defaultDataDir } from '../main.ts';
import { UsageError } from './cli.ts';

export const serveHelp = `Usage: berth serve [--data-dir DIR] [--port N] [--node-name NAME] [--verbose]

Runs a Kubernetes node on this machine in the foreground: an API server on
https://127.0.0.1:N for kubectl, berth's node agent, and berth's own containerd.
When it is ready it writes DIR/kubeconfig and prints how to use it.

Flags:
  --data-dir DIR     where berth keeps its state (default: ${defaultDataDir()})
  --port N           API server port on 127.0.0.1 (default 6443; 0 picks a free one)
  --node-name NAME   the node's name (default: this host's name)
  --verbose          print diagnostics to stderr

Stop it with Ctrl-C or SIGTERM; running pods keep running and are picked up
again by the next "berth serve" with the same data directory.
`;

export async function serve(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'node-name': { type: 'string' },
        verbose: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const port = values.port === undefined ? 6443 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const verbose = values.verbose === true;
  const node = new BerthNode({
    dataDir: values['data-dir'] ?? defaultDataDir(),
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
    if (ac.signal.aborted) return 0;
    throw err;
  }
  process.stdout.write(`berth is ready: export KUBECONFIG=${node.kubeconfigPath}\n`);
  await new Promise<void>((resolve) => ac.signal.addEventListener('abort', () => resolve(), { once: true }));
  await stopping;
  process.off('SIGTERM', shutdown);
  process.off('SIGINT', shutdown);
  return 0;
}
