/**
 * JSON patch (RFC 6902), for `kubectl patch --type json`
 * (`application/json-patch+json`), with the behaviours of the
 * evanphx/json-patch v4 library kube-apiserver uses: negative array indices
 * count from the end, `test` of a missing path against `null` passes.
 *
 * Failures throw JsonPatchError with the library's wording; the API layer
 * decides how much of it the client sees.
 */
import { isJsonObject, setOwn } from '../json-object.ts';

export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

type Container = Record<string, unknown> | unknown[];

/** RFC 6901 pointer → unescaped tokens. */
function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string') throw new JsonPatchError('operation missing path');
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid path: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const INDEX = /^[+-]?\d+$/;

function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (!INDEX.test(token)) throw new JsonPatchError(`value was not a proper array index: '${token}'`);
  let idx = Number(token);
  const size = forAdd ? length + 1 : length;
  if (idx >= size || idx < -size) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
  if (idx < 0) idx += size;
  return idx;
}

/** The container holding the last token of `path`, and that token. */
function parentOf(doc: unknown, tokens: string[], op: string, pointer: string): [Container, string] {
  let cur: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      if (!INDEX.test(token)) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${pointer}"`);
      const idx = Number(token) < 0 ? Number(token) + cur.length : Number(token);
      cur = cur[idx];
    } else if (isJsonObject(cur)) {
      cur = Object.hasOwn(cur, token) ? cur[token] : undefined;
    } else {
      cur = undefined;
    }
    if (cur === undefined) break;
  }
  if (!Array.isArray(cur) && !isJsonObject(cur)) {
    throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${pointer}"`);
  }
  return [cur, tokens[tokens.length - 1]];
}

function getValue(doc: unknown, tokens: string[]): { found: boolean; value?: unknown } {
  let cur: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(cur)) {
      if (!INDEX.test(token)) return { found: false };
      let idx = Number(token);
      if (idx < 0) idx += cur.length;
      if (idx < 0 || idx >= cur.length) return { found: false };
      cur = cur[idx];
    } else if (isJsonObject(cur) && Object.hasOwn(cur, token)) {
      cur = cur[token];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: cur };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function add(doc: unknown, tokens: string[], value: unknown, pointer: string): unknown {
  if (tokens.length === 0) return value;
  const [parent, key] = parentOf(doc, tokens, 'add', pointer);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(value);
    else parent.splice(arrayIndex(key, parent.length, true), 0, value);
  } else {
    setOwn(parent, key, value);
  }
  return doc;
}

function remove(doc: unknown, tokens: string[], pointer: string, op = 'remove'): { doc: unknown; removed: unknown } {
  if (tokens.length === 0) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${pointer}"`);
  const [parent, key] = parentOf(doc, tokens, op, pointer);
  if (Array.isArray(parent)) {
    const idx = arrayIndex(key, parent.length, false);
    const [removed] = parent.splice(idx, 1);
    return { doc, removed };
  }
  if (!Object.hasOwn(parent, key)) {
    throw new JsonPatchError(`Unable to ${op} nonexistent key: ${key}: missing value`);
  }
  const removed = parent[key];
  delete parent[key];
  return { doc, removed };
}

function replace(doc: unknown, tokens: string[], value: unknown, pointer: string): unknown {
  if (tokens.length === 0) return value;
  const [parent, key] = parentOf(doc, tokens, 'replace', pointer);
  if (Array.isArray(parent)) {
    parent[arrayIndex(key, parent.length, false)] = value;
  } else {
    if (!Object.hasOwn(parent, key)) {
      throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    }
    setOwn(parent, key, value);
  }
  return doc;
}

/** Applies RFC 6902 `ops` to a copy of `doc`. */
export function applyJsonPatchOps(doc: unknown, ops: readonly Record<string, unknown>[]): unknown {
  let out = structuredClone(doc);
  for (const op of ops) {
    const kind = op.op;
    const pointer = op.path;
    const tokens = parsePointer(pointer);
    switch (kind) {
      case 'add':
        if (!Object.hasOwn(op, 'value')) throw new JsonPatchError('add operation has no value');
        out = add(out, tokens, structuredClone(op.value), pointer as string);
        break;
      case 'remove':
        out = remove(out, tokens, pointer as string).doc;
        break;
      case 'replace':
        if (!Object.hasOwn(op, 'value')) throw new JsonPatchError('replace operation has no value');
        out = replace(out, tokens, structuredClone(op.value), pointer as string);
        break;
      case 'move': {
        const fromTokens = parsePointer(op.from);
        const from = op.from as string;
        if (pointer !== from && (pointer as string).startsWith(`${from}/`)) {
          throw new JsonPatchError(`move operation cannot move "${from}" into its own child "${pointer}"`);
        }
        if (pointer === from) break;
        const r = remove(out, fromTokens, from, 'move');
        out = add(r.doc, tokens, r.removed, pointer as string);
        break;
      }
      case 'copy': {
        const source = getValue(out, parsePointer(op.from));
        if (!source.found) throw new JsonPatchError(`copy operation does not apply: doc is missing from path: "${String(op.from)}"`);
        out = add(out, tokens, structuredClone(source.value), pointer as string);
        break;
      }
      case 'test': {
        const got = getValue(out, tokens);
        const want = Object.hasOwn(op, 'value') ? op.value : null;
        if (!got.found) {
          if (want === null) break;
          throw new JsonPatchError(`testing value ${String(pointer)} failed: test failed`);
        }
        if (!deepEqual(got.value, want)) throw new JsonPatchError(`testing value ${String(pointer)} failed: test failed`);
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${String(kind)}`);
    }
  }
  return out;
}
