/**
 * Which revision a list reads and which page of it, as kube-apiserver's
 * etcd3 `GetList` (with the watch cache's answer to a future revision):
 *
 * - `resourceVersion` '' or '0', or `NotOlderThan` N: the latest state; N
 *   beyond the latest revision is a 504 `Too large resource version`.
 * - `Exact` N, or N with a `limit` and no match (the legacy exact read): the
 *   state at N; a compacted N is a 410 Expired.
 * - `limit` > 0: at most that many matching items, in key order, and a signed
 *   `continue` token naming the next key and the revision read. Every page of
 *   one list reads that revision (the store's log keeps snapshots down to its
 *   compaction revision), so pages are consistent; a continue past compaction
 *   is a 410 with a fresh token that continues at the latest revision.
 * - `remainingItemCount` is given when it is known: without selectors.
 *
 * Validation of the option combinations happens before (apiserver/list-options.ts).
 */
import { errors } from '../api/api.ts';
import { StoreError, type Entry, type Store } from '../store/store.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';

export interface ListReadOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListPage {
  entries: Entry[];
  revision: number;
  continue?: string;
  remainingItemCount?: number;
}

const expired = 'The resourceVersion for the provided list is too old.';
const inconsistentContinue =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without ' +
  'the continue parameter, or use the continue token in this response to retrieve the remainder of the results. ' +
  'Continuing with the provided token results in an inconsistent list - objects that were created, modified, or ' +
  'deleted between the time the first chunk was returned and now may show up in the list.';

/** A resourceVersion parameter as a revision; 400 when it is not one. */
export function parseResourceVersion(rv: string): number {
  const n = /^\d+$/.test(rv) ? Number(rv) : NaN;
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`invalid resource version "${rv}"`);
  return n;
}

/** Reads one page; `matches` filters (selectors), `filtered` says whether it can drop anything. */
export function readList(store: Pick<Store, 'currentRevision' | 'listAt'>, prefix: string, opts: ListReadOptions, matches: (e: Entry) => boolean, filtered: boolean): ListPage {
  const current = store.currentRevision();
  const rv = opts.resourceVersion ?? '';
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  let revision = current;
  let from = prefix;
  let paging = false;
  if (opts.continue) {
    if (rv !== '' && rv !== '0') throw errors.badRequest('specifying resource version is not allowed when using continue');
    const pos = decodeContinue(opts.continue, prefix);
    from = pos.startKey;
    paging = true;
    if (pos.revision > 0) revision = pos.revision;
  } else if (rv !== '') {
    const wanted = parseResourceVersion(rv);
    if (wanted > current) throw errors.tooLargeResourceVersion(wanted, current);
    const exact = opts.resourceVersionMatch === 'Exact' || (!opts.resourceVersionMatch && limit > 0 && wanted > 0);
    if (exact) revision = wanted;
  }
  let all: Entry[];
  try {
    all = store.listAt(prefix, revision, from);
  } catch (err) {
    if (!(err instanceof StoreError && err.code === 'Compacted')) throw err;
    throw paging ? errors.expired(inconsistentContinue, encodeContinue(from, prefix, -1)) : errors.expired(expired);
  }
  if (!limit) return { entries: all.filter(matches), revision };
  const entries: Entry[] = [];
  let i = 0;
  for (; i < all.length && entries.length < limit; i++) if (matches(all[i])) entries.push(all[i]);
  if (i >= all.length) return { entries, revision };
  // As etcd3: the next page starts just after the last key read.
  const page: ListPage = { entries, revision, continue: encodeContinue(all[i - 1].key + '\x00', prefix, revision) };
  if (!filtered) page.remainingItemCount = all.length - i;
  return page;
}
