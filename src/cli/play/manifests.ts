/**
 * Reading the manifests `berth play -f` is given, as `kubectl apply -f` reads
 * them: files, directories (their .yaml/.yml/.json files, sorted) or `-` for
 * stdin; multi-document YAML; `kind: List` expanded; empty documents skipped.
 * YAML is read with YAML 1.1 rules (`yes`/`no` are booleans), as kubectl's
 * go-yaml reads it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface Manifest {
  object: Record<string, any>;
  /** The file it came from (`-` for stdin), for messages. */
  source: string;
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

function filesOf(path: string): string[] {
  if (path === '-') return ['-'];
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new ManifestError(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

function parse(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text, { version: '1.1', merge: true })) {
    if (doc.errors.length) {
      throw new ManifestError(`error parsing ${source}: ${doc.errors[0].message.split('\n')[0]}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ManifestError(`error parsing ${source}: a document is not a Kubernetes object (expected a mapping with apiVersion and kind)`);
    }
    const items = typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : [value];
    for (const object of items) {
      const missing = ['apiVersion', 'kind'].filter((f) => typeof object?.[f] !== 'string' || !object[f]);
      if (missing.length) {
        throw new ManifestError(`error validating "${source}": error validating data: [${missing.map((f) => `${f} not set`).join(', ')}]`);
      }
      if (typeof object.metadata?.name !== 'string' || !object.metadata.name) {
        throw new ManifestError(`error validating "${source}": a ${object.kind} has no metadata.name (berth play needs a name to follow the object)`);
      }
      out.push({ object, source });
    }
  }
  return out;
}

/** Every object in `paths`, in file order. */
export function readManifests(paths: string[], readStdin: () => string = () => readFileSync(0, 'utf8')): Manifest[] {
  const out: Manifest[] = [];
  for (const p of paths) {
    for (const file of filesOf(p)) {
      const text = file === '-' ? readStdin() : readFileSync(file, 'utf8');
      out.push(...parse(text, file === '-' ? 'STDIN' : file));
    }
  }
  if (out.length === 0) throw new ManifestError(`no objects passed to apply`);
  return out;
}

/**
 * Apply order: namespaces first, pods last, everything else in between, each
 * group in file order — so a pod's configMaps and secrets exist before the
 * node looks for them.
 */
export function applyOrder(manifests: Manifest[]): Manifest[] {
  const rank = (m: Manifest) => (m.object.kind === 'Namespace' ? 0 : m.object.kind === 'Pod' ? 2 : 1);
  return manifests.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i).map((x) => x.m);
}
