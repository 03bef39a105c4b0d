/**
 * Generates core-v1-schema.ts: the JSON field names of every type reachable
 * from the kinds berth serves, read from kubernetes-types' declarations
 * (Kubernetes v1.30) of meta/v1, core/v1, discovery.k8s.io/v1, apps/v1, batch/v1, storage.k8s.io/v1 and rbac.authorization.k8s.io/v1, plus the
 * fields v1.31–v1.33 added, listed by hand below.
 *
 * Types are keyed by their bare Go name, as kube-apiserver's decoder names
 * them in its errors (`Go struct field EndpointPort.ports.port`). A name two
 * packages both declare (core/v1 and discovery/v1 EndpointPort) must have
 * the same fields and types in both, so one entry serves both; the
 * generator fails otherwise. The OpenAPI generator, which needs each
 * package's own definition and docs, reads the packages separately
 * (`packageTypes`).
 *
 * Run: node src/api/validation/schema/generate-schema.ts
 * unknown-fields.test.ts fails when the committed output differs from a fresh run.
 *
 * Type codes: `s` string, `n` number, `b` boolean, `q` Quantity, `io`
 * IntOrString, `t` Time, `*` free-form JSON, `Name` a struct, `[x]` a list of
 * x, `{x}` a map of x.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SchemaType = string;
export type Schema = Record<string, Record<string, SchemaType>>;

/** Kinds whose objects the API server decodes; everything reachable from them is kept. */
export const rootKinds = ['Pod', 'Namespace', 'ConfigMap', 'Secret', 'Event', 'Node', 'Binding', 'ServiceAccount', 'Service', 'Endpoints', 'EndpointSlice', 'Deployment', 'ReplicaSet', 'DaemonSet', 'ControllerRevision', 'StatefulSet', 'Job', 'CronJob', 'PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** The declaration files read, by kubernetes-types path; a bare name resolves in this order. */
export const typePackages = ['meta/v1', 'core/v1', 'discovery/v1', 'apps/v1', 'batch/v1', 'storage/v1', 'rbac/v1', 'events/v1', 'authentication/v1', 'authorization/v1'] as const;
export type TypePackage = (typeof typePackages)[number];

/**
 * Packages read for the OpenAPI definitions only, left out of this bare-named
 * schema: their kinds share a name with another package's and decode with a
 * schema of their own (Kind.schema; events.k8s.io/v1 Event beside core/v1's).
 */
export const openApiOnlyPackages: readonly TypePackage[] = ['events/v1', 'authentication/v1', 'authorization/v1'];

/** Fields (and types) Kubernetes v1.31–v1.33 added that kubernetes-types 1.30 lacks, by package. */
const discoveryAdditions: Schema = {
  EndpointHints: { forNodes: '[ForNode]' },
  ForNode: { name: 's' },
};

const coreAdditions: Schema = {
  PodSecurityContext: { seLinuxChangePolicy: 's', supplementalGroupsPolicy: 's' },
  PodSpec: { resources: 'ResourceRequirements' },
  Lifecycle: { stopSignal: 's' },
  VolumeSource: { image: 'ImageVolumeSource' },
  Volume: { image: 'ImageVolumeSource' },
  ImageVolumeSource: { pullPolicy: 's', reference: 's' },
  ResourceClaim: { request: 's' },
  ContainerStatus: { allocatedResourcesStatus: '[ResourceStatus]', stopSignal: 's', user: 'ContainerUser' },
  ContainerUser: { linux: 'LinuxContainerUser' },
  LinuxContainerUser: { gid: 'n', supplementalGroups: '[n]', uid: 'n' },
  ResourceStatus: { name: 's', resources: '[ResourceHealth]' },
  ResourceHealth: { health: 's', resourceID: 's' },
  PodCondition: { observedGeneration: 'n' },
  PodStatus: { observedGeneration: 'n' },
  NodeStatus: { features: 'NodeFeatures' },
  NodeFeatures: { supplementalGroupsPolicy: 'b' },
  NodeRuntimeHandlerFeatures: { userNamespaces: 'b' },
};

const appsAdditions: Schema = {
  DeploymentStatus: { terminatingReplicas: 'n' },
  ReplicaSetStatus: { terminatingReplicas: 'n' },
};

const additions: Record<TypePackage, Schema> = { 'meta/v1': {}, 'core/v1': coreAdditions, 'discovery/v1': discoveryAdditions, 'apps/v1': appsAdditions, 'batch/v1': {}, 'storage/v1': {}, 'rbac/v1': {}, 'events/v1': {}, 'authentication/v1': {}, 'authorization/v1': {} };

/** Declared types that are scalars on the wire. */
const scalarAliases: Record<string, SchemaType> = {
  string: 's',
  number: 'n',
  boolean: 'b',
  Quantity: 'q',
  Time: 't',
  MicroTime: 't',
  FieldsV1: '*',
  RawExtension: '*',
};

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Parses a TypeScript type expression of the shapes kubernetes-types uses. */
function parseType(t: string): SchemaType {
  const s = t.trim();
  const arr = /^Array<(.*)>$/s.exec(s);
  if (arr) return `[${parseType(arr[1])}]`;
  const map = /^\{\s*\[name: string\]:\s*(.*?);?\s*\}$/s.exec(s);
  if (map) return `{${parseType(map[1])}}`;
  if (s === 'number | string' || s === 'string | number') return 'io';
  if (/^"[^"]*"$/.test(s)) return 's';
  if (s in scalarAliases) return scalarAliases[s];
  if (/^[A-Z][A-Za-z0-9]*$/.test(s)) return s;
  throw new Error(`unsupported type expression: ${s}`);
}

/** Interfaces of one declaration file: name → field → raw type text. */
function parseInterfaces(src: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const text = stripComments(src);
  const re = /export interface (\w+) \{/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let depth = 1;
    let i = re.lastIndex;
    const start = i;
    while (depth > 0) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
      i++;
    }
    const body = text.slice(start, i - 1);
    const fields: Record<string, string> = {};
    let j = 0;
    while (j < body.length) {
      const fm = /\s*(?:readonly\s+)?([A-Za-z0-9_$]+)\??:\s*/y;
      fm.lastIndex = j;
      const f = fm.exec(body);
      if (!f) break;
      let k = fm.lastIndex;
      let d = 0;
      let angle = 0;
      while (k < body.length && !(body[k] === ';' && d === 0 && angle === 0)) {
        if (body[k] === '{') d++;
        else if (body[k] === '}') d--;
        else if (body[k] === '<') angle++;
        else if (body[k] === '>') angle--;
        k++;
      }
      fields[f[1]] = body.slice(fm.lastIndex, k);
      j = k + 1;
    }
    out[m[1]] = fields;
  }
  return out;
}

function typeRefs(t: SchemaType): string[] {
  const inner = t.replace(/[[\]{}]/g, '');
  return /^[A-Z]/.test(inner) ? [inner] : [];
}

/** Each package's types (field → type code, additions included), as its declaration file has them. */
export function packageTypes(typesDir: string): Record<TypePackage, Schema> {
  const out = {} as Record<TypePackage, Schema>;
  for (const pkg of typePackages) {
    const types: Schema = {};
    for (const [name, rawFields] of Object.entries(parseInterfaces(readFileSync(join(typesDir, `${pkg}.d.ts`), 'utf8')))) {
      const fields: Record<string, SchemaType> = {};
      for (const [f, t] of Object.entries(rawFields)) fields[f] = parseType(t);
      types[name] = fields;
    }
    for (const [name, fields] of Object.entries(additions[pkg])) types[name] = { ...(types[name] ?? {}), ...fields };
    out[pkg] = types;
  }
  return out;
}

function sameShape(a: Record<string, SchemaType>, b: Record<string, SchemaType>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

export function buildSchema(typesDir: string): Schema {
  const raw: Schema = {};
  const declaredIn: Record<string, TypePackage> = {};
  const pkgs = packageTypes(typesDir);
  for (const pkg of typePackages) {
    if (openApiOnlyPackages.includes(pkg)) continue;
    for (const [name, fields] of Object.entries(pkgs[pkg])) {
      if (raw[name] && !sameShape(raw[name], fields)) {
        throw new Error(`${name} of ${pkg} differs from ${name} of ${declaredIn[name]}: the schema, keyed by bare name, cannot hold both`);
      }
      raw[name] ??= fields;
      declaredIn[name] ??= pkg;
    }
  }
  const schema: Schema = {};
  const queue = [...rootKinds];
  while (queue.length) {
    const name = queue.shift() as string;
    if (schema[name]) continue;
    if (!raw[name]) throw new Error(`unknown type ${name}`);
    const fields = raw[name];
    const sorted: Record<string, SchemaType> = {};
    for (const f of Object.keys(fields).sort()) sorted[f] = fields[f];
    schema[name] = sorted;
    for (const t of Object.values(sorted)) for (const ref of typeRefs(t)) if (!schema[ref]) queue.push(ref);
  }
  const ordered: Schema = {};
  for (const name of Object.keys(schema).sort()) ordered[name] = schema[name];
  return ordered;
}

export function generateSchemaSource(typesDir: string): string {
  const schema = buildSchema(typesDir);
  const lines = [
    '// Generated by generate-schema.ts from kubernetes-types (meta/v1, core/v1, discovery/v1, apps/v1, batch/v1, storage/v1, rbac/v1) plus v1.31–v1.33 additions. Do not edit.',
    "import type { Schema } from './generate-schema.ts';",
    '',
    'export const coreV1Schema: Schema = {',
  ];
  for (const [name, fields] of Object.entries(schema)) {
    const body = Object.entries(fields)
      .map(([f, t]) => `${f}: '${t}'`)
      .join(', ');
    lines.push(`  ${name}: { ${body} },`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

const here = dirname(fileURLToPath(import.meta.url));
export const defaultTypesDir = join(here, '../../../../node_modules/kubernetes-types');
export const schemaFile = join(here, 'core-v1-schema.ts');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaFile, generateSchemaSource(defaultTypesDir));
  console.log(`wrote ${schemaFile}`);
}
