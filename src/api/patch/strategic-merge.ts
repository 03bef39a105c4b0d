/**
 * Strategic merge patch, applied as kube-apiserver applies it
 * (`strategicpatch.StrategicMergeMapPatch` with `MergeParallelList` and
 * `IgnoreUnmatchedNulls`). The structure follows apimachinery's
 * `mergeMap`/`mergeSlice` so that list order, directives and errors come out
 * the same; the struct tags it consults are the data in patch-meta.ts.
 *
 * Directives:
 *   `$patch: replace|delete` on a map, `$patch: delete|replace` on a list item,
 *   `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`.
 * `null` deletes a key. Keys starting with `$` never reach the result.
 */
import { goValue } from '../go-format.ts';
import { patchMetaFor, type FieldPatchMeta, type PatchMetaTable } from './patch-meta.ts';
import { smpErrors, SmpError } from './smp-errors.ts';
import { own, setOwn } from '../json-object.ts';

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

const DIRECTIVE = '$patch';
const DELETE = 'delete';
const REPLACE = 'replace';
const MERGE = 'merge';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

function kindOf(v: Json): Kind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as Kind;
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Prepares patch content that lands where the original has nothing to merge
 * with: nulls ("delete") are dropped, and so are list items carrying a
 * `$patch` directive, which have nothing to delete or replace there.
 */
function cleanPatchValue(v: Json): Json {
  if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) {
      const item = v[i];
      if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) v.splice(i, 1);
      else cleanPatchValue(item);
    }
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else cleanPatchValue(x);
    }
  }
  return v;
}

/** Removes `$`-prefixed keys everywhere; the typed decode in kube-apiserver drops them too. */
function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) {
    for (const item of v) stripDirectives(item);
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('$')) delete v[k];
      else stripDirectives(x);
    }
  }
  return v;
}

class Merger {
  readonly #meta: PatchMetaTable;

  constructor(meta: PatchMetaTable) {
    this.#meta = meta;
  }

  #lookup(path: string): FieldPatchMeta | undefined {
    return Object.hasOwn(this.#meta, path) ? this.#meta[path] : undefined;
  }

  mergeMap(original: JsonObject, patch: JsonObject, path: string): JsonObject {
    if (Object.hasOwn(patch, DIRECTIVE)) return this.#directiveInMap(patch[DIRECTIVE], patch);
    this.#applyRetainKeys(original, patch);
    this.#mergeSetElementOrder(original, patch, path);

    for (const [patchKey, patchV] of Object.entries(patch)) {
      let k = patchKey;
      let isDeleteList = false;
      if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        k = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST);
        isDeleteList = true;
      }
      if (patchV === null) {
        delete original[k];
        continue;
      }
      if (!Object.hasOwn(original, k)) {
        if (!isDeleteList) setOwn(original, k, cleanPatchValue(patchV));
        continue;
      }
      const originalV = original[k];
      if (kindOf(originalV) !== kindOf(patchV)) {
        if (!isDeleteList) setOwn(original, k, cleanPatchValue(patchV));
        continue;
      }
      const childPath = path === '' ? k : `${path}.${k}`;
      const fieldMeta = this.#lookup(childPath);
      if (isObject(originalV) && isObject(patchV)) {
        setOwn(original, k, fieldMeta?.strategy === REPLACE ? cleanPatchValue(patchV) : this.mergeMap(originalV, patchV, childPath));
      } else if (Array.isArray(originalV) && Array.isArray(patchV)) {
        setOwn(original, k, this.#mergeSliceHandler(originalV, patchV, childPath, fieldMeta, isDeleteList));
      } else {
        setOwn(original, k, patchV);
      }
    }
    return original;
  }

  #directiveInMap(directive: Json, patch: JsonObject): JsonObject {
    if (directive === REPLACE) {
      delete patch[DIRECTIVE];
      return cleanPatchValue(patch) as JsonObject;
    }
    if (directive === DELETE) return {};
    throw smpErrors.badPatchType(directive, patch);
  }

  /** `$retainKeys`: original keys not listed are cleared; patch keys must be listed. */
  #applyRetainKeys(original: JsonObject, patch: JsonObject): void {
    if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
    const list = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(list)) throw smpErrors.badPatchFormatForRetainKeys();
    const retained = new Set<Json>(list);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!retained.has(k)) throw smpErrors.badPatchFormatForRetainKeys();
    }
    for (const k of Object.keys(original)) {
      if (!retained.has(k)) delete original[k];
    }
  }

  /**
   * `$setElementOrder/<list>`: merges the list with its patch, then orders the
   * result. Precedence: the directive's order, then the patch's, then the
   * live object's. Merged lists are removed from the patch.
   */
  #mergeSetElementOrder(original: JsonObject, patch: JsonObject, path: string): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
      const setOrder = patch[key];
      delete patch[key];
      if (!Array.isArray(setOrder)) throw smpErrors.badArgType([], setOrder);
      const listKey = extractKey(key, SET_ELEMENT_ORDER);
      const foundOriginal = Object.hasOwn(original, listKey);
      const foundPatch = Object.hasOwn(patch, listKey);
      const originalList = own(original, listKey);
      const patchList = own(patch, listKey);
      if (foundOriginal && !Array.isArray(originalList)) throw smpErrors.badArgType([], originalList);
      if (foundPatch && !Array.isArray(patchList)) throw smpErrors.badArgType([], patchList);
      const originalValue = foundOriginal ? (originalList as Json[]) : [];
      const patchValue = foundPatch ? (patchList as Json[]) : [];
      const fieldMeta = this.#lookup(path === '' ? listKey : `${path}.${listKey}`);
      const mergeKey = fieldMeta?.mergeKey ?? '';
      validatePatchWithSetOrderList(patchValue, setOrder, mergeKey);

      let merged: Json[];
      if (foundOriginal && !foundPatch) merged = originalValue;
      else if (!foundOriginal && foundPatch) merged = cleanPatchValue(patchValue) as Json[];
      else if (foundOriginal && foundPatch) {
        merged = this.#mergeSliceHandler([...originalValue], patchValue, path === '' ? listKey : `${path}.${listKey}`, fieldMeta, false);
      } else continue;

      const [patchItems, serverOnly] =
        mergeKey === '' ? partitionPrimitives(merged, setOrder) : partitionMaps(merged, setOrder, mergeKey);
      const kind = sliceElementKind(originalValue, patchValue);
      setOwn(original, listKey, normalizeElementOrder(patchItems, serverOnly, setOrder, originalValue, mergeKey, kind));
      delete patch[listKey];
    }
  }

  #mergeSliceHandler(
    original: Json[],
    patch: Json[],
    path: string,
    fieldMeta: FieldPatchMeta | undefined,
    isDeleteList: boolean,
  ): Json[] {
    if (fieldMeta?.strategy !== MERGE) return cleanPatchValue(patch) as Json[];
    return this.#mergeSlice(original, patch, path, fieldMeta.mergeKey ?? '', isDeleteList);
  }

  #mergeSlice(original: Json[], patch: Json[], path: string, mergeKey: string, isDeleteList: boolean): Json[] {
    if (original.length === 0 && patch.length === 0) return original;
    const kind = sliceElementKind(original, patch);
    let merged: Json[];
    let serverOrder = original;
    let patchOrder = patch;
    if (kind !== 'object') {
      if (isDeleteList) return deleteFromSlice(original, patch);
      merged = dedupe([...original, ...patch]);
    } else {
      if (mergeKey === '') throw new SmpError('cannot merge lists without merge key for type struct');
      [serverOrder, patchOrder] = mergeSliceWithSpecialElements(original, patch, mergeKey);
      merged = this.#mergeSliceWithoutSpecialElements([...serverOrder], patchOrder, mergeKey, path);
    }
    const [patchItems, serverOnly] =
      mergeKey === '' ? partitionPrimitives(merged, patchOrder) : partitionMaps(merged, patchOrder, mergeKey);
    return normalizeElementOrder(patchItems, serverOnly, patchOrder, serverOrder, mergeKey, kind);
  }

  #mergeSliceWithoutSpecialElements(original: Json[], patch: Json[], mergeKey: string, path: string): Json[] {
    for (const v of patch) {
      const item = v as JsonObject;
      if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
      const found = findMapByKey(original, mergeKey, item[mergeKey]);
      if (found >= 0) original[found] = this.mergeMap(original[found] as JsonObject, item, path);
      else original.push(cleanPatchValue(item));
    }
    return original;
  }
}

/** `extractKey`: the list name after `<prefix>/`. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw smpErrors.badPatchFormatForPrimitiveList();
    throw smpErrors.badPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

/** All elements of the lists must be of one kind, and not lists. */
function sliceElementKind(...lists: Json[][]): Kind {
  let prev: Kind | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (prev === undefined) {
        if (k === 'array') throw smpErrors.noListOfLists();
        prev = k;
      } else if (prev !== k) {
        throw new SmpError(`list element types are not identical: ${goSlices(lists)}`);
      }
    }
  }
  if (prev === undefined) throw new SmpError('no elements in any of the given slices');
  return prev;
}

function goSlices(lists: Json[][]): string {
  // fmt.Sprint of a [][]interface{}.
  return `[${lists.map((l) => goValue(l)).join(' ')}]`;
}

function dedupe(list: Json[]): Json[] {
  const out: Json[] = [];
  for (const v of list) if (!out.includes(v)) out.push(v);
  return out;
}

function deleteFromSlice(current: Json[], toDelete: Json[]): Json[] {
  return current.filter((v) => !toDelete.includes(v));
}

function findMapByKey(list: Json[], mergeKey: string, value: Json): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) throw new SmpError(`value for key ${i} is not a map.`);
    if (Object.hasOwn(item, mergeKey) && item[mergeKey] === value) return i;
  }
  return -1;
}

/** Items with `$patch`: `delete` removes matches from `original`; `replace` makes the patch the whole list. */
function mergeSliceWithSpecialElements(original: Json[], patch: Json[], mergeKey: string): [Json[], Json[]] {
  const plain: Json[] = [];
  let replace = false;
  let kept = original;
  for (const v of patch) {
    const item = v as JsonObject;
    if (!Object.hasOwn(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === DELETE) {
      if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
      const value = item[mergeKey];
      for (let i = findMapByKey(kept, mergeKey, value); i >= 0; i = findMapByKey(kept, mergeKey, value)) {
        kept = [...kept.slice(0, i), ...kept.slice(i + 1)];
      }
    } else if (directive === REPLACE) {
      replace = true;
    } else if (directive === MERGE) {
      throw new SmpError('merging lists cannot yet be specified in the patch');
    } else {
      throw smpErrors.badPatchType(directive, item);
    }
  }
  if (replace) return [cleanPatchValue(plain) as Json[], []];
  return [kept, plain];
}

function itemKey(item: Json, mergeKey: string, kind: Kind): Json | undefined {
  if (kind !== 'object') return item;
  return isObject(item) ? item[mergeKey] : undefined;
}

/** Position of `value` in `list` by merge key (maps) or by value (primitives); -1 if absent. */
function indexIn(list: Json[], value: Json, mergeKey: string, kind: Kind): number {
  const want = itemKey(value, mergeKey, kind);
  return list.findIndex((v) => itemKey(v, mergeKey, kind) === want);
}

function partitionPrimitives(merged: Json[], by: Json[]): [Json[], Json[]] {
  const inPatch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const v of merged) (by.includes(v) ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

function partitionMaps(merged: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const inPatch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const v of merged) {
    if (!isObject(v)) throw smpErrors.badArgType({}, v);
    if (!Object.hasOwn(v, mergeKey)) throw smpErrors.noMergeKey(v, mergeKey);
    (findMapByKey(by, mergeKey, v[mergeKey]) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

function validateMergeKeyInLists(mergeKey: string, ...lists: Json[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isObject(item)) throw smpErrors.badArgType({}, item);
      if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
    }
  }
}

/**
 * `normalizeSliceOrder`: a stable sort of `toSort` by position in `order`
 * (items with `$patch: delete` go last). Go's comparator treats an item
 * missing from `order` as "less"; an insertion sort reproduces Go's result.
 */
function normalizeSliceOrder(toSort: Json[], order: Json[], mergeKey: string, kind: Kind): Json[] {
  let items = [...toSort];
  let toDelete: Json[] = [];
  if (kind === 'object') {
    validateMergeKeyInLists(mergeKey, items, order);
    toDelete = items.filter((v) => (v as JsonObject)[DIRECTIVE] === DELETE);
    items = items.filter((v) => (v as JsonObject)[DIRECTIVE] !== DELETE);
  }
  const less = (a: Json, b: Json): boolean => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j], items[j - 1]); j--) {
      [items[j], items[j - 1]] = [items[j - 1], items[j]];
    }
  }
  return [...items, ...toDelete];
}

/**
 * `mergeSortedSlice`: interleaves the server-only items (`left`) into the
 * patch items (`right`), both already sorted, using the live order where it
 * knows both items; otherwise the patch item goes first.
 */
function mergeSortedSlice(left: Json[], right: Json[], serverOrder: Json[], mergeKey: string, kind: Kind): Json[] {
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function normalizeElementOrder(
  patchItems: Json[],
  serverOnly: Json[],
  patchOrder: Json[],
  serverOrder: Json[],
  mergeKey: string,
  kind: Kind,
): Json[] {
  const sortedPatch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

/**
 * The non-deleting patch items must appear in the `$setElementOrder` list,
 * in the same relative order.
 */
function validatePatchWithSetOrderList(patchList: Json[], setOrder: Json[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  let nonDelete = patchList;
  if (mergeKey !== '') {
    for (const v of patchList) if (!isObject(v)) throw smpErrors.badArgType({}, v);
    nonDelete = patchList.filter((v) => (v as JsonObject)[DIRECTIVE] !== DELETE);
  }
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < setOrder.length) {
    const item = nonDelete[p];
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, setOrder[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= setOrder.length) {
    throw new SmpError(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(setOrder)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: Json, right: Json, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isObject(left)) throw smpErrors.badArgType({}, left);
  if (!isObject(right)) throw smpErrors.badArgType({}, right);
  if (!Object.hasOwn(left, mergeKey)) throw smpErrors.noMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw smpErrors.noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/**
 * Applies `patch` to `original` for an object of `kind` and returns the
 * result. Neither input is modified. Throws SmpError (see smp-errors.ts).
 */
export function applyStrategicMergePatch(original: object, patch: object, kind: string): object {
  const merger = new Merger(patchMetaFor(kind));
  const result = merger.mergeMap(structuredClone(original) as JsonObject, structuredClone(patch) as JsonObject, '');
  return stripDirectives(result) as JsonObject;
}
