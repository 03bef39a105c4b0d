/**
 * `berth down`: stops every pod, berth and containerd of the node in a data
 * directory; with `--purge` also removes its mounts, network namespaces and
 * all its state. The steps are node-teardown.ts's.
 */
import { existsSync } from 'node:fs';
import { defaultDataDir } from '../paths.ts';
import { ExitCode, UsageError } from './cli-errors.ts';
import { parseDuration, parseFlags, parseSeconds } from './flags.ts';
import { LocalNode } from './local-node.ts';
import { tearDownNode } from './node-teardown.ts';

export const downHelp = `Usage: berth down [--data-dir DIR] [--purge] [--grace-period N] [--timeout DURATION]

Stops the berth node in DIR: deletes every pod through the API (the node
agent stops them as a cluster node would, honouring grace periods), waits
until they are gone, stops "berth serve" and containerd, and removes any pod
sandbox left in containerd. Works when berth itself is no longer running
(for example after it was killed): then the sandboxes are removed directly.

Without --purge the node's state stays (store, images, credentials): the
next "berth serve" starts with no pods but the same configMaps, secrets
and kubeconfig.

Flags:
  --data-dir DIR        the node's data directory (default: $BERTH_DATA_DIR, else ${defaultDataDir()})
  --purge               also unmount everything under DIR and remove DIR
  --grace-period N      seconds each pod gets to stop (default: its own terminationGracePeriodSeconds)
  --timeout DURATION    how long to wait for the pods to go (default 2m); then their sandboxes are removed directly
`;

export async function down(argv: string[]): Promise<number> {
  const { values } = parseFlags('down', argv, {
    'data-dir': { type: 'string' },
    purge: { type: 'boolean' },
    'grace-period': { type: 'string' },
    timeout: { type: 'string' },
  });
  if (values['data-dir'] === '') throw new UsageError('--data-dir must not be empty', 'down');
  const grace = values['grace-period'] === undefined ? undefined : parseSeconds(values['grace-period'], '--grace-period', 'down');
  const timeoutMs = values.timeout === undefined ? 120_000 : parseDuration(values.timeout, '--timeout', 'down');
  const node = new LocalNode(values['data-dir'] ?? defaultDataDir());
  if (!existsSync(node.dataDir)) {
    process.stderr.write(`berth: nothing to do: ${node.dataDir} does not exist\n`);
    return ExitCode.Ok;
  }
  if (!node.exists && node.servePid() === undefined) {
    process.stderr.write(`berth: ${node.dataDir} is not a berth data directory (no state.db, no containerd/); left alone\n`);
    return ExitCode.Failure;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('berth: "berth down" must run as root (it stops containerd and removes its mounts): run it with "sudo"\n');
    return ExitCode.Failure;
  }
  const started = performance.now();
  const report = await tearDownNode(node, {
    purge: values.purge === true,
    gracePeriodSeconds: grace,
    podsTimeoutMs: timeoutMs,
    log: (l) => process.stderr.write(`berth: ${l}\n`),
  });
  const ms = Math.round(performance.now() - started);
  const what = [
    report.podsDeleted ? `${report.podsDeleted} pod${report.podsDeleted === 1 ? '' : 's'} deleted` : 'no pods',
    report.serveStopped ? 'berth stopped' : 'berth was not running',
    report.sandboxesSwept ? `${report.sandboxesSwept} sandbox${report.sandboxesSwept === 1 ? '' : 'es'} removed directly` : '',
    report.purged ? `${node.dataDir} removed` : `state kept in ${node.dataDir}`,
  ].filter(Boolean);
  process.stdout.write(`berth is down: ${what.join(', ')} (${ms} ms)\n`);
  return ExitCode.Ok;
}
