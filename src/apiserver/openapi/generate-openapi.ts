/**
 * Generates core-v1-definitions.json: the OpenAPI v3 component schemas of
 * the kinds berth serves and every type they reach, with the descriptions of
 * kubernetes-types' declarations (the API's own doc comments), so that
 * `kubectl explain` works. Field names and types come from the validation
 * schema (api/validation/schema), which adds the fields of v1.31–v1.33.
 *
 * Run: node src/apiserver/openapi/generate-openapi.ts
 * openapi.test.ts fails when the committed output differs from a fresh run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, defaultTypesDir, type SchemaType } from '../../api/validation/schema/generate-schema.ts';
import { int64Fields } from '../../api/validation/go-decode.ts';

/** Kinds with a REST resource in berth; they carry x-kubernetes-group-version-kind. */
const kinds = ['Pod', 'Namespace', 'ConfigMap', 'Secret', 'Event', 'Node'];
const metaTypes = new Set([
  'ObjectMeta',
  'ListMeta',
  'OwnerReference',
  'ManagedFieldsEntry',
  'LabelSelector',
  'LabelSelectorRequirement',
  'Time',
  'MicroTime',
  'FieldsV1',
]);

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

function schemaName(type: string): string {
  if (type === 'Quantity') return 'io.k8s.apimachinery.pkg.api.resource.Quantity';
  if (type === 'IntOrString') return 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
  return metaTypes.has(type) ? `io.k8s.apimachinery.pkg.apis.meta.v1.${type}` : `io.k8s.api.core.v1.${type}`;
}

const ref = (type: string) => ({ $ref: `#/components/schemas/${schemaName(type)}` });

function fieldSchema(owner: string, field: string, t: SchemaType): Record<string, unknown> {
  if (t.startsWith('[')) return { type: 'array', items: fieldSchema(owner, field, t.slice(1, -1)) };
  if (t.startsWith('{')) return { type: 'object', additionalProperties: fieldSchema(owner, field, t.slice(1, -1)) };
  switch (t) {
    case 's':
      return { type: 'string' };
    case 'n':
      return { type: 'integer', format: int64Fields.has(`${owner}.${field}`) ? 'int64' : 'int32' };
    case 'b':
      return { type: 'boolean' };
    case 'q':
      return { allOf: [ref('Quantity')] };
    case 'io':
      return { allOf: [ref('IntOrString')] };
    case 't':
      return { allOf: [ref('Time')] };
    case '*':
      return { type: 'object' };
  }
  return { allOf: [ref(t)] };
}

export function buildDefinitions(typesDir: string): Record<string, unknown> {
  const docs: Docs = { types: {}, fields: {} };
  parseDocs(readFileSync(join(typesDir, 'meta/v1.d.ts'), 'utf8'), docs);
  parseDocs(readFileSync(join(typesDir, 'core/v1.d.ts'), 'utf8'), docs);
  const shape = buildSchema(typesDir);
  const out: Record<string, unknown> = {
    [schemaName('Quantity')]: {
      description:
        'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
      oneOf: [{ type: 'string' }, { type: 'number' }],
    },
    [schemaName('IntOrString')]: {
      description: 'IntOrString is a type that can hold an int32 or a string.',
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
    },
    [schemaName('Time')]: {
      description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
      type: 'string',
      format: 'date-time',
    },
  };
  for (const [name, fields] of Object.entries(shape)) {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const [f, t] of Object.entries(fields)) {
      const d = docs.fields[name]?.[f];
      properties[f] = { ...(d?.doc ? { description: d.doc } : {}), ...fieldSchema(name, f, t) };
      if (d?.required) required.push(f);
    }
    out[schemaName(name)] = {
      ...(docs.types[name] ? { description: docs.types[name] } : {}),
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      ...(kinds.includes(name) ? { 'x-kubernetes-group-version-kind': [{ group: '', kind: name, version: 'v1' }] } : {}),
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
