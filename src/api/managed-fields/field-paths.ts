/**
 * Field paths and field sets as structured-merge-diff names them: a path is a
 * list of elements `f:<field>`, `k:<json of the key fields>` (an item of a
 * list keyed by fields), `v:<json>` (an item of a set). A set of paths is
 * stored as a JS Set of encoded paths; FieldsV1 is its JSON tree form, where
 * `.` marks a path that is itself a member and also has members below it.
 */
import { own, setOwn } from '../json-object.ts';

export type Path = readonly string[];

const SEP = '\u0000';

export function encodePath(p: Path): string {
  return p.join(SEP);
}

export function decodePath(s: string): Path {
  return s === '' ? [] : s.split(SEP);
}

/** `[a, b]` is a prefix of (or equal to) `[a, b, c]`. */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + SEP);
}

/** The `k:` element of a list item: its key fields, sorted by name, as JSON. */
export function keyElement(item: Record<string, unknown>, keys: readonly string[]): string {
  const o: Record<string, unknown> = {};
  for (const k of [...keys].sort()) if (item[k] !== undefined && item[k] !== null) o[k] = item[k];
  return `k:${JSON.stringify(o)}`;
}

/** `.spec.containers[name="app"].image`, as fieldpath.Path.String() prints it. */
export function pathString(p: Path): string {
  let out = '';
  for (const e of p) {
    const body = e.slice(2);
    if (e.startsWith('f:')) out += `.${body}`;
    else if (e.startsWith('k:')) {
      const keys = JSON.parse(body) as Record<string, unknown>;
      out += `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    } else if (e.startsWith('v:')) out += `[=${body}]`;
    else if (e.startsWith('i:')) out += `[${body}]`;
  }
  return out;
}

interface Tree {
  [element: string]: Tree;
}

/** The FieldsV1 object of a set. */
export function toFieldsV1(set: ReadonlySet<string>): Tree {
  const root: Tree = {};
  const paths = [...set].map(decodePath);
  const prefixes = new Set<string>();
  for (const p of paths) for (let i = 1; i < p.length; i++) prefixes.add(encodePath(p.slice(0, i)));
  for (const p of paths) {
    let node = root;
    for (const e of p) {
      let next = own(node, e);
      if (next === undefined) setOwn(node, e, (next = {}));
      node = next;
    }
    if (prefixes.has(encodePath(p))) node['.'] = {};
  }
  return root;
}

/** Whether a path element parses as structured-merge-diff's PathElement (`f:`, `i:`, `v:` JSON, `k:` JSON object). */
function decodableElement(e: string): boolean {
  const body = e.slice(2);
  if (e.startsWith('f:')) return true;
  if (e.startsWith('i:')) return /^-?\d+$/.test(body);
  try {
    const v = JSON.parse(body);
    if (e.startsWith('v:')) return true;
    return e.startsWith('k:') && v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Whether a FieldsV1 object from a client decodes: only `.` and decodable path elements, each holding an object. */
export function decodableFieldsV1(tree: unknown): boolean {
  const stack: unknown[] = [tree];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
    for (const [k, v] of Object.entries(node)) {
      if (k !== '.' && !decodableElement(k)) return false;
      stack.push(v);
    }
  }
  return true;
}

/** The set a FieldsV1 object describes. */
export function fromFieldsV1(tree: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== 'object') return;
    const entries = Object.entries(node as Tree);
    if (entries.length === 0 && path.length) out.add(encodePath(path));
    for (const [k, v] of entries) {
      if (k === '.') out.add(encodePath(path));
      else walk(v, [...path, k]);
    }
  };
  walk(tree, []);
  return out;
}
