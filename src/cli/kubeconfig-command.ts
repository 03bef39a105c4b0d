/**
 * `berth kubeconfig`: prints the node's kubeconfig (or its path), or merges
 * it as a context into the user's kubeconfig.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from '../paths.ts';
import { ExitCode, UsageError } from './cli-errors.ts';
import { parseFlags } from './flags.ts';
import { KubeconfigError, mergeKubeconfig, writeKubeconfigFile } from './kube/kube.ts';
import { LocalNode } from './local-node.ts';

export const kubeconfigHelp = `Usage: berth kubeconfig [--data-dir DIR] [--path | --merge [--into FILE] [--context NAME] [--use]]

Prints the kubeconfig of the berth node in DIR (context "berth", a token
and the node's CA; written by "berth serve" once the node is ready).

Flags:
  --data-dir DIR    the node's data directory (default: $BERTH_DATA_DIR, else ${defaultDataDir()})
  --path            print only the file's path: export KUBECONFIG=$(berth kubeconfig --path)
  --merge           add the node as a context to your kubeconfig (FILE), keeping
                    every other cluster, user and context; an earlier entry of
                    the same name is replaced; the file is written atomically, mode 0600
  --into FILE       the kubeconfig to merge into (default: ~/.kube/config)
  --context NAME    the name of the merged cluster, user and context (default: berth)
  --use             also make it the current context (it always is when FILE had none)
`;

export async function kubeconfigCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('kubeconfig', argv, {
    'data-dir': { type: 'string' },
    path: { type: 'boolean' },
    merge: { type: 'boolean' },
    into: { type: 'string' },
    context: { type: 'string' },
    use: { type: 'boolean' },
  });
  if (values.path && values.merge) throw new UsageError('--path and --merge exclude each other', 'kubeconfig');
  for (const f of ['into', 'context', 'use'] as const) {
    if (values[f] !== undefined && !values.merge) throw new UsageError(`--${f} goes with --merge`, 'kubeconfig');
  }
  const context = values.context ?? 'berth';
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.@]*[A-Za-z0-9])?$/.test(context)) {
    throw new UsageError(`--context "${context}" is not a usable name (letters, digits, "-", "_", ".", "@")`, 'kubeconfig');
  }
  const node = new LocalNode(values['data-dir'] ?? defaultDataDir());
  if (!existsSync(node.kubeconfigPath)) {
    process.stderr.write(
      `berth: no kubeconfig in ${node.dataDir}: the node has not been ready there yet; start it with "berth serve${values['data-dir'] ? ` --data-dir ${node.dataDir}` : ''}"\n`,
    );
    return ExitCode.Failure;
  }
  if (values.path) {
    process.stdout.write(`${node.kubeconfigPath}\n`);
    return ExitCode.Ok;
  }
  const ours = readFileSync(node.kubeconfigPath, 'utf8');
  if (!values.merge) {
    process.stdout.write(ours);
    return ExitCode.Ok;
  }
  const into = values.into ?? join(process.env.HOME ?? '.', '.kube', 'config');
  const existing = existsSync(into) ? readFileSync(into, 'utf8') : undefined;
  let merged;
  try {
    merged = mergeKubeconfig(existing, ours, context, values.use === true);
  } catch (err) {
    if (err instanceof KubeconfigError) {
      process.stderr.write(`berth: merge into ${into}: ${err.message}\n`);
      return ExitCode.Failure;
    }
    throw err;
  }
  writeKubeconfigFile(into, merged.text);
  process.stdout.write(`${merged.replaced ? 'updated' : 'added'} context "${context}" in ${into}\n`);
  process.stdout.write(merged.current ? `current context is now "${context}"\n` : `use it with: kubectl config use-context ${context}   (or kubectl --context ${context} ...)\n`);
  return ExitCode.Ok;
}
