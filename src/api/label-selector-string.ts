/**
 * The text form of a metav1.LabelSelector, as apimachinery's
 * `LabelSelectorAsSelector(ls).String()` writes it: requirements sorted by
 * key, `k=v` for matchLabels, `k in (a,b)` / `k notin (a,b)` with sorted
 * values, `k` for Exists and `!k` for DoesNotExist. A null or empty
 * selector is ''. This is what Scale's status.selector and the SELECTOR
 * column of `kubectl get deploy -o wide` show.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

interface Requirement {
  key: string;
  text: string;
}

/** Throws, as LabelSelectorAsSelector errs, for an unknown operator or values that do not fit it. */
export function labelSelectorString(ls: LabelSelector | null | undefined): string {
  if (!ls) return '';
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const e of ls.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw new Error(`for '${e.operator}' operator, values set can't be empty`);
        reqs.push({ key: e.key, text: `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${[...values].sort().join(',')})` });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new Error('values set must be empty for exists and does not exist');
        reqs.push({ key: e.key, text: e.operator === 'Exists' ? e.key : `!${e.key}` });
        break;
      default:
        throw new Error(`"${e.operator}" is not a valid label selector operator`);
    }
  }
  // Go sorts requirements by key; Array.prototype.sort is stable, so equal keys keep their order.
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** `metav1.FormatLabelSelector`: the text form, `<none>` when empty, `<error>` when it does not convert. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  let text: string;
  try {
    text = labelSelectorString(ls);
  } catch {
    return '<error>';
  }
  return text === '' ? '<none>' : text;
}
