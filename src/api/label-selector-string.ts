/**
 * The text form of a metav1.LabelSelector, as apimachinery's
 * `LabelSelectorAsSelector(ls).String()` writes it: requirements sorted by
 * key, `k=v` for matchLabels, `k in (a,b)` / `k notin (a,b)` with sorted
 * values, `k` for Exists and `!k` for DoesNotExist. A null or empty
 * selector is ''. This is what Scale's status.selector and the SELECTOR
 * column of `kubectl get deploy -o wide` show.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { labelSelectorRequirements, type LabelRequirement } from './label-selector.ts';

const requirementText = (r: LabelRequirement): string => {
  switch (r.operator) {
    case '=':
      return `${r.key}=${r.values[0]}`;
    case 'In':
    case 'NotIn':
      return `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${[...r.values].sort().join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
};

/** Throws, as LabelSelectorAsSelector errs, for an unknown operator or values that do not fit it. */
export function labelSelectorString(ls: LabelSelector | null | undefined): string {
  if (!ls) return '';
  // Go sorts requirements by key; Array.prototype.sort is stable, so equal keys keep their order.
  return labelSelectorRequirements(ls)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(requirementText)
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
