/**
 * The patch `kubectl apply` sends when an object already exists: a
 * three-way strategic merge patch (apimachinery's
 * `CreateThreeWayMergePatch`) from
 *   original — the last applied configuration (the annotation),
 *   modified — the manifest now being applied,
 *   current  — the object as the server has it.
 * Changes and additions come from current → modified (fields the server
 * added, such as defaults and status, are left alone); deletions come from
 * original → modified (only what the user removed from the manifest is
 * removed). Lists with a merge key are diffed item by item and carry a
 * `$setElementOrder` directive, as kubectl sends them.
 *
 * Pure. Not done: `$retainKeys` (only needed to switch a volume's source,
 * which a Pod update may not do anyway).
 */
import { isDeepStrictEqual } from 'node:util';
import { patchMetaFor, type PatchMetaTable } from '../../api/patch/patch.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

interface Pass {
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function diffMaps(a: Obj, b: Obj, path: string, meta: PatchMetaTable, pass: Pass): Obj {
  const patch: Obj = {};
  for (const [key, bv] of Object.entries(b)) {
    const av = a[key];
    if (!Object.hasOwn(a, key) || av === undefined) {
      if (!pass.ignoreChangesAndAdditions) patch[key] = bv;
      continue;
    }
    const sub = join(path, key);
    if (isObj(av) && isObj(bv)) {
      const d = diffMaps(av, bv, sub, meta, pass);
      if (Object.keys(d).length) patch[key] = d;
    } else if (Array.isArray(av) && Array.isArray(bv)) {
      diffLists(patch, key, av, bv, sub, meta, pass);
    } else if (!isDeepStrictEqual(av, bv) && !pass.ignoreChangesAndAdditions) {
      patch[key] = bv;
    }
  }
  if (!pass.ignoreDeletions) {
    for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) patch[key] = null;
  }
  return patch;
}

function diffLists(patch: Obj, field: string, a: unknown[], b: unknown[], path: string, meta: PatchMetaTable, pass: Pass): void {
  const m = meta[path];
  if (m?.strategy === 'merge' && m.mergeKey && [...a, ...b].every((i) => isObj(i) && Object.hasOwn(i, m.mergeKey!))) {
    const key = m.mergeKey;
    const items: Obj[] = [];
    for (const item of b as Obj[]) {
      const orig = (a as Obj[]).find((o) => isDeepStrictEqual(o[key], item[key]));
      if (!orig) {
        if (!pass.ignoreChangesAndAdditions) items.push(item);
        continue;
      }
      const d = diffMaps(orig, item, path, meta, pass);
      if (Object.keys(d).length) items.push({ [key]: item[key], ...d });
    }
    if (!pass.ignoreDeletions) {
      for (const orig of a as Obj[]) {
        if (!(b as Obj[]).some((i) => isDeepStrictEqual(i[key], orig[key]))) items.push({ [key]: orig[key], $patch: 'delete' });
      }
    }
    if (items.length) {
      patch[field] = items;
      if (!pass.ignoreChangesAndAdditions) patch[`$setElementOrder/${field}`] = (b as Obj[]).map((i) => ({ [key]: i[key] }));
    }
    return;
  }
  if (m?.strategy === 'merge' && !m.mergeKey && [...a, ...b].every((i) => !isObj(i) && !Array.isArray(i))) {
    const added = b.filter((v) => !a.some((o) => isDeepStrictEqual(o, v)));
    const removed = a.filter((v) => !b.some((o) => isDeepStrictEqual(o, v)));
    if (added.length && !pass.ignoreChangesAndAdditions) {
      patch[field] = added;
      patch[`$setElementOrder/${field}`] = b;
    }
    if (removed.length && !pass.ignoreDeletions) patch[`$deleteFromPrimitiveList/${field}`] = removed;
    return;
  }
  if (!isDeepStrictEqual(a, b) && !pass.ignoreChangesAndAdditions) patch[field] = b;
}

/** Combines the deletions patch with the changes patch (they never touch the same leaf). */
function mergePatches(into: Obj, from: Obj, path: string, meta: PatchMetaTable): Obj {
  const out: Obj = { ...into };
  for (const [key, v] of Object.entries(from)) {
    const prev = out[key];
    const m = meta[join(path, key)];
    if (isObj(prev) && isObj(v)) {
      out[key] = mergePatches(prev, v, join(path, key), meta);
    } else if (Array.isArray(prev) && Array.isArray(v) && m?.mergeKey && !key.startsWith('$')) {
      const k = m.mergeKey;
      const items = prev.map((p) => {
        const same = v.find((i) => isObj(i) && isObj(p) && isDeepStrictEqual(i[k], p[k]));
        return same && isObj(p) && isObj(same) ? mergePatches(p, same, join(path, key), meta) : p;
      });
      for (const i of v) if (!prev.some((p) => isObj(p) && isObj(i) && isDeepStrictEqual(p[k], i[k]))) items.push(i);
      out[key] = items;
    } else {
      out[key] = v;
    }
  }
  return out;
}

/** Changes and additions from current → modified, deletions from original → modified, as one patch. */
function threeWay(original: Obj | undefined, modified: Obj, current: Obj, meta: PatchMetaTable): Obj {
  const changes = diffMaps(current, modified, '', meta, { ignoreDeletions: true, ignoreChangesAndAdditions: false });
  const deletions = original ? diffMaps(original, modified, '', meta, { ignoreDeletions: false, ignoreChangesAndAdditions: true }) : {};
  return mergePatches(deletions, changes, '', meta);
}

/**
 * The strategic merge patch that turns `current` into `modified` as
 * `kubectl apply` would, `{}` when there is nothing to change. Without an
 * `original` (no last-applied annotation), nothing is deleted.
 */
export function threeWayMergePatch(original: Obj | undefined, modified: Obj, current: Obj, kind: string): Obj {
  return threeWay(original, modified, current, patchMetaFor(kind));
}

/** The same for a JSON merge patch (RFC 7386: lists are replaced whole), for kinds without strategic-merge metadata. */
export function threeWayJsonMergePatch(original: Obj | undefined, modified: Obj, current: Obj): Obj {
  return threeWay(original, modified, current, {});
}
