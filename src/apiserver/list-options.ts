/**
 * The query parameters of a list or watch (meta/v1 ListOptions), decoded and
 * validated as kube-apiserver's ListResource handler does before it reads:
 * a value that does not parse is a 400, a forbidden combination a 422 on
 * `ListOptions.meta.k8s.io` (internalversion/validation's ValidateListOptions,
 * with the WatchList feature enabled, as in v1.33).
 */
import { errors, type FieldError } from '../api/api.ts';
import { forbidden, notSupported } from '../api/validation/field-errors.ts';
import { boolParam, intParam } from './query-params.ts';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  /** '' when absent. */
  resourceVersionMatch: string;
  limit?: number;
  continue?: string;
  /** undefined when absent: a watch then behaves as before the watch-list feature. */
  sendInitialEvents: boolean | undefined;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
}

const exact = 'Exact';
const notOlderThan = 'NotOlderThan';

export function parseListQuery(query: URLSearchParams): ListQuery {
  return {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: query.get('resourceVersionMatch') ?? '',
    limit: intParam(query, 'limit'),
    continue: query.get('continue') || undefined,
    sendInitialEvents: query.has('sendInitialEvents') ? boolParam(query, 'sendInitialEvents') : undefined,
    allowWatchBookmarks: boolParam(query, 'allowWatchBookmarks'),
    timeoutSeconds: intParam(query, 'timeoutSeconds'),
  };
}

/** ValidateListOptions for a list. */
export function listOptionErrors(o: ListQuery): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (match) {
    if (!o.resourceVersion) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (o.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== exact && match !== notOlderThan) errs.push(notSupported('resourceVersionMatch', match, [exact, notOlderThan, '']));
    if (match === exact && o.resourceVersion === '0') {
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (o.sendInitialEvents !== undefined) errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errs;
}

/** validateWatchOptions. */
export function watchOptionErrors(o: ListQuery): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.sendInitialEvents !== undefined && match !== notOlderThan) {
    errs.push(forbidden('resourceVersionMatch', `sendInitialEvents requires setting resourceVersionMatch to ${notOlderThan}`));
  }
  if (match) {
    if (o.sendInitialEvents === undefined) {
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    }
    if (match !== notOlderThan) errs.push(notSupported('resourceVersionMatch', match, [notOlderThan]));
    if (o.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return errs;
}

/** The options of a list (`watch` false) or a watch; 422 on ListOptions when they do not validate. */
export function listOptions(query: URLSearchParams, watch: boolean): ListQuery {
  const o = parseListQuery(query);
  const errs = watch ? watchOptionErrors(o) : listOptionErrors(o);
  if (errs.length) throw errors.invalid('ListOptions', '', errs, 'meta.k8s.io');
  return o;
}
