/**
 * Kubeconfig files as the CLI reads and writes them: resolving the current
 * context to a server and credentials (what kubectl would use), and merging
 * a berth context into a user's kubeconfig without disturbing anything else
 * in it (comments and other entries are kept, the write is atomic).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isSeq, parse as parseYaml, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';

/** Where and how to reach one API server. */
export interface KubeTarget {
  server: URL;
  ca?: Buffer;
  insecure: boolean;
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  /** The context's namespace, or `default`. */
  namespace: string;
  context: string;
  /** The file(s) it came from, for messages. */
  source: string;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

function entries(list: unknown, field: string, baseDir: string): { name: string; value: any }[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e) => e && typeof e === 'object' && typeof e.name === 'string')
    .map((e) => ({ name: e.name as string, value: { ...(e[field] ?? {}), baseDir } }));
}

/** The files named by `$KUBECONFIG` (colon-separated), or ~/.kube/config. */
export function defaultKubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(':').filter(Boolean);
  return [join(env.HOME ?? '.', '.kube', 'config')];
}

/**
 * Resolves a kubeconfig (one file or kubectl's merged list, first
 * definition wins) to the target of `context` or the current context.
 */
export function loadKubeTarget(files: string[], context?: string): KubeTarget {
  const source = files.join(':');
  let current: string | undefined;
  const clusters = new Map<string, any>();
  const users = new Map<string, any>();
  const contexts = new Map<string, any>();
  let found = false;
  for (const file of files) {
    if (!existsSync(file)) continue;
    found = true;
    let doc: any;
    try {
      doc = parseYaml(readFileSync(file, 'utf8')) ?? {};
    } catch (err) {
      throw new KubeconfigError(`read kubeconfig "${file}": ${(err as Error).message.split('\n')[0]}`);
    }
    const baseDir = dirname(resolve(file));
    current ??= typeof doc['current-context'] === 'string' && doc['current-context'] ? doc['current-context'] : undefined;
    for (const e of entries(doc.clusters, 'cluster', baseDir)) if (!clusters.has(e.name)) clusters.set(e.name, e.value);
    for (const e of entries(doc.users, 'user', baseDir)) if (!users.has(e.name)) users.set(e.name, e.value);
    for (const e of entries(doc.contexts, 'context', baseDir)) if (!contexts.has(e.name)) contexts.set(e.name, e.value);
  }
  if (!found) throw new KubeconfigError(`read kubeconfig "${source}": no such file`);
  const name = context ?? current;
  if (!name) throw new KubeconfigError(`kubeconfig "${source}" has no current context: pass --context`);
  const ctx = contexts.get(name);
  if (!ctx) throw new KubeconfigError(`context "${name}" not found in kubeconfig "${source}"`);
  const cluster = clusters.get(ctx.cluster);
  if (!cluster || typeof cluster.server !== 'string') {
    throw new KubeconfigError(`context "${name}" in kubeconfig "${source}" names cluster "${ctx.cluster}", which has no server`);
  }
  const user = users.get(ctx.user) ?? {};
  if (user.exec || user['auth-provider']) {
    throw new KubeconfigError(
      `context "${name}" authenticates with an ${user.exec ? 'exec' : 'auth-provider'} plugin, which berth does not run; use a kubeconfig with a token or a client certificate`,
    );
  }
  const file = (base: string, p: string) => readFileSync(isAbsolute(p) ? p : join(base, p));
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new KubeconfigError(`cluster "${ctx.cluster}" in kubeconfig "${source}" has an invalid server "${cluster.server}"`);
  }
  const target: KubeTarget = {
    server,
    insecure: cluster['insecure-skip-tls-verify'] === true,
    namespace: typeof ctx.namespace === 'string' && ctx.namespace ? ctx.namespace : 'default',
    context: name,
    source,
  };
  if (cluster['certificate-authority-data']) target.ca = Buffer.from(cluster['certificate-authority-data'], 'base64');
  else if (cluster['certificate-authority']) target.ca = file(cluster.baseDir, cluster['certificate-authority']);
  if (typeof user.token === 'string') target.token = user.token;
  else if (typeof user.tokenFile === 'string') target.token = file(user.baseDir, user.tokenFile).toString('utf8').trim();
  if (user['client-certificate-data']) target.cert = Buffer.from(user['client-certificate-data'], 'base64');
  else if (user['client-certificate']) target.cert = file(user.baseDir, user['client-certificate']);
  if (user['client-key-data']) target.key = Buffer.from(user['client-key-data'], 'base64');
  else if (user['client-key']) target.key = file(user.baseDir, user['client-key']);
  return target;
}

export interface MergeResult {
  text: string;
  /** Entries named `context` that existed before and were replaced. */
  replaced: boolean;
  /** current-context now names `context`. */
  current: boolean;
}

function namedSeq(doc: Document, key: string): YAMLSeq {
  let seq = doc.get(key);
  if (seq === null || seq === undefined) {
    doc.set(key, doc.createNode([]));
    seq = doc.get(key);
  }
  if (!isSeq(seq)) throw new KubeconfigError(`"${key}" in the kubeconfig is not a list`);
  return seq as YAMLSeq;
}

function upsert(doc: Document, key: string, name: string, entry: Record<string, unknown>): boolean {
  const seq = namedSeq(doc, key);
  const node = doc.createNode(entry);
  const i = seq.items.findIndex((it) => isMap(it) && (it as YAMLMap).get('name') === name);
  if (i === -1) {
    seq.items.push(node);
    return false;
  }
  seq.items[i] = node;
  return true;
}

/**
 * Merges the single-context kubeconfig `berthConfig` into `existing` (the
 * text of the user's file, or undefined when there is none) under the name
 * `context`. Other clusters, users and contexts, comments and preferences
 * are kept. current-context is set when `use` is true or the file had none.
 */
export function mergeKubeconfig(existing: string | undefined, berthConfig: string, context: string, use: boolean): MergeResult {
  const ours = parseYaml(berthConfig) as any;
  const cluster = ours?.clusters?.[0]?.cluster;
  const user = ours?.users?.[0]?.user;
  const ctx = ours?.contexts?.[0]?.context;
  if (!cluster || !user || !ctx) throw new KubeconfigError('the node\'s kubeconfig is incomplete: restart "berth serve" to rewrite it');

  const doc = parseDocument(existing && existing.trim() ? existing : 'apiVersion: v1\nkind: Config\n');
  if (doc.errors.length) throw new KubeconfigError(`the kubeconfig is not valid YAML (${doc.errors[0].message.split('\n')[0]}); it was left unchanged`);
  if (!isMap(doc.contents)) throw new KubeconfigError('the kubeconfig is not a YAML mapping; it was left unchanged');
  const kind = doc.get('kind');
  if (kind !== undefined && kind !== 'Config') throw new KubeconfigError(`the kubeconfig has kind "${String(kind)}", not Config; it was left unchanged`);
  if (!doc.has('apiVersion')) doc.set('apiVersion', 'v1');
  if (!doc.has('kind')) doc.set('kind', 'Config');

  let replaced = upsert(doc, 'clusters', context, { name: context, cluster });
  replaced = upsert(doc, 'users', context, { name: context, user }) || replaced;
  replaced = upsert(doc, 'contexts', context, { name: context, context: { ...ctx, cluster: context, user: context } }) || replaced;
  const had = doc.get('current-context');
  const current = use || !had;
  if (current) doc.set('current-context', context);
  return { text: doc.toString(), replaced, current };
}

/** Writes `text` to `file` atomically with mode 0600 (the directory is created 0700). */
export function writeKubeconfigFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let mode = 0o600;
  try {
    mode = statSync(file).mode & 0o777 & ~0o077;
  } catch {
    // New file.
  }
  const tmp = `${file}.berth-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: mode || 0o600 });
  renameSync(tmp, file);
}
