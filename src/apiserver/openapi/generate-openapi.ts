/**
 * Generates core-v1-definitions.json: the OpenAPI v3 component schemas of
 * the kinds berth serves and every type they reach, with the descriptions of
 * kubernetes-types' declarations (the API's own doc comments), so that
 * `kubectl explain` works. Field names and types come from the validation
 * schema's packages (api/validation/schema), which add the fields of
 * v1.31–v1.33.
 *
 * Each type is defined under its own package's name
 * (`io.k8s.api.discovery.v1.EndpointPort` beside `io.k8s.api.core.v1.EndpointPort`):
 * a field's type resolves in the package that declares the field, then in
 * core/v1, then in meta/v1, as the declarations' imports do.
 *
 * Run: node src/apiserver/openapi/generate-openapi.ts
 * openapi.test.ts fails when the committed output differs from a fresh run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiGroups } from '../../api/groups.ts';
import { defaultTypesDir, packageTypes, rootKinds, typePackages, type SchemaType, type TypePackage } from '../../api/validation/schema/generate-schema.ts';
import { int64Fields } from '../../api/validation/go-decode.ts';

/** The OpenAPI name prefix of each package's definitions. */
const packagePrefix: Record<TypePackage, string> = {
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  'core/v1': 'io.k8s.api.core.v1',
  'discovery/v1': 'io.k8s.api.discovery.v1',
  'apps/v1': 'io.k8s.api.apps.v1',
  'batch/v1': 'io.k8s.api.batch.v1',
  'storage/v1': 'io.k8s.api.storage.v1',
  'rbac/v1': 'io.k8s.api.rbac.v1',
  'authentication/v1': 'io.k8s.api.authentication.v1',
  'authorization/v1': 'io.k8s.api.authorization.v1',
  'events/v1': 'io.k8s.api.events.v1',
};

/** The package holding the types of a served group version. */
function packageOf(group: string, version: string): TypePackage {
  // kubernetes-types names a package by the group's first label (rbac.authorization.k8s.io → rbac).
  const pkg = `${group === '' ? 'core' : group.split('.')[0]}/${version}`;
  if (!(typePackages as readonly string[]).includes(pkg)) throw new Error(`no declarations are read for ${group || 'core'}/${version}`);
  return pkg as TypePackage;
}

/** A type, named in its package. */
interface Named {
  pkg: TypePackage;
  type: string;
}

interface Docs {
  types: Record<string, string>;
  fields: Record<string, Record<string, { doc: string; required: boolean }>>;
}

/** Doc comments and required-ness from one declaration file. */
function parseDocs(src: string, into: Docs): void {
  const iface = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?export interface (\w+) \{\n([\s\S]*?)\n\}/g;
  let m: RegExpExecArray | null;
  while ((m = iface.exec(src))) {
    const [, typeDoc, name, body] = m;
    into.types[name] = clean(typeDoc ?? '');
    const fields: Docs['fields'][string] = {};
    const field = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?(?:readonly\s+)?([A-Za-z0-9_$]+)(\??):/g;
    let f: RegExpExecArray | null;
    while ((f = field.exec(body))) fields[f[2]] = { doc: clean(f[1] ?? ''), required: f[3] !== '?' };
    into.fields[name] = fields;
  }
}

function clean(doc: string): string {
  return doc
    .split('\n')
    .map((l) => l.replace(/^\s*\*?\s?/, ''))
    .join('\n')
    .trim();
}

const fixedNames: Record<string, string> = {
  Quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  IntOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  Time: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
};

function schemaName(n: Named): string {
  return fixedNames[n.type] ?? `${packagePrefix[n.pkg]}.${n.type}`;
}

const ref = (n: Named) => ({ $ref: `#/components/schemas/${schemaName(n)}` });

/** Where a type named in a field of `from`'s package is declared. */
function resolve(pkgs: Record<TypePackage, Record<string, unknown>>, from: TypePackage, type: string): Named {
  for (const pkg of [from, 'core/v1', 'meta/v1'] as const) if (Object.hasOwn(pkgs[pkg], type)) return { pkg, type };
  throw new Error(`unknown type ${type} (referenced from ${from})`);
}

function fieldSchema(owner: Named, field: string, t: SchemaType, res: (type: string) => Named): Record<string, unknown> {
  if (t.startsWith('[')) return { type: 'array', items: fieldSchema(owner, field, t.slice(1, -1), res) };
  if (t.startsWith('{')) return { type: 'object', additionalProperties: fieldSchema(owner, field, t.slice(1, -1), res) };
  const fixed = (type: string) => ({ allOf: [ref({ pkg: 'meta/v1', type })] });
  switch (t) {
    case 's':
      return { type: 'string' };
    case 'n':
      return { type: 'integer', format: int64Fields.has(`${owner.type}.${field}`) ? 'int64' : 'int32' };
    case 'b':
      return { type: 'boolean' };
    case 'q':
      return fixed('Quantity');
    case 'io':
      return fixed('IntOrString');
    case 't':
      return fixed('Time');
    case '*':
      return { type: 'object' };
  }
  return { allOf: [ref(res(t))] };
}

export function buildDefinitions(typesDir: string): Record<string, unknown> {
  const docs = {} as Record<TypePackage, Docs>;
  for (const pkg of typePackages) {
    docs[pkg] = { types: {}, fields: {} };
    parseDocs(readFileSync(join(typesDir, `${pkg}.d.ts`), 'utf8'), docs[pkg]);
  }
  const pkgs = packageTypes(typesDir);
  // Kinds with a REST resource in berth carry x-kubernetes-group-version-kind.
  const gvks = new Map<string, { group: string; kind: string; version: string }>();
  for (const g of apiGroups) {
    for (const k of g.kinds) gvks.set(schemaName({ pkg: packageOf(k.info.group, k.info.version), type: k.info.kind }), { group: k.info.group, kind: k.info.kind, version: k.info.version });
  }
  const out: Record<string, unknown> = {
    [fixedNames.Quantity]: {
      description:
        'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
      oneOf: [{ type: 'string' }, { type: 'number' }],
    },
    [fixedNames.IntOrString]: {
      description: 'IntOrString is a type that can hold an int32 or a string.',
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
    },
    [fixedNames.Time]: {
      description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
      type: 'string',
      format: 'date-time',
    },
  };
  // Every type reachable from the root kinds; a kind is declared by exactly one API package.
  const queue: Named[] = rootKinds.map((type) => {
    const pkg = typePackages.find((p) => p !== 'meta/v1' && Object.hasOwn(pkgs[p], type));
    if (!pkg) throw new Error(`unknown kind ${type}`);
    return { pkg, type };
  });
  // Every served kind in its own group's package (events.k8s.io/v1 Event beside core/v1's).
  for (const g of apiGroups) for (const k of g.kinds) queue.push({ pkg: packageOf(k.info.group, k.info.version), type: k.info.kind });
  while (queue.length) {
    const named = queue.shift() as Named;
    const name = schemaName(named);
    if (out[name]) continue;
    const fields = pkgs[named.pkg][named.type];
    const res = (type: string) => resolve(pkgs, named.pkg, type);
    const d = docs[named.pkg];
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const f of Object.keys(fields).sort()) {
      const t = fields[f];
      const fd = d.fields[named.type]?.[f];
      properties[f] = { ...(fd?.doc ? { description: fd.doc } : {}), ...fieldSchema(named, f, t, res) };
      if (fd?.required) required.push(f);
      const inner = t.replace(/[[\]{}]/g, '');
      if (/^[A-Z]/.test(inner) && !fixedNames[inner]) queue.push(res(inner));
    }
    const gvk = gvks.get(name);
    out[name] = {
      ...(d.types[named.type] ? { description: d.types[named.type] } : {}),
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      ...(gvk ? { 'x-kubernetes-group-version-kind': [gvk] } : {}),
    };
  }
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(out).sort()) sorted[k] = out[k];
  return sorted;
}

const here = dirname(fileURLToPath(import.meta.url));
export const definitionsFile = join(here, 'core-v1-definitions.json');

export function generateDefinitionsSource(typesDir: string): string {
  return JSON.stringify(buildDefinitions(typesDir)) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(definitionsFile, generateDefinitionsSource(defaultTypesDir));
  console.log(`wrote ${definitionsFile}`);
}
