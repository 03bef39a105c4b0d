/**
 * Label selectors as controllers and clients hold them: a metav1.LabelSelector from a
 * spec (matchLabels, matchExpressions), or a plain set of labels, turned
 * into a matcher as apimachinery's LabelSelectorAsSelector and
 * SelectorFromSet do. A null or absent LabelSelector selects nothing; an
 * empty one selects everything. `NotIn` and `DoesNotExist` match objects
 * without the key.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

export interface Selector {
  /** True for the selector that matches every object. */
  readonly empty: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

export const everything: Selector = { empty: true, matches: () => true };
export const nothing: Selector = { empty: false, matches: () => false };

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

const has = (labels: Readonly<Record<string, string>>, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

/** Throws for an unknown operator or values that do not fit it, as LabelSelectorAsSelector errs. */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (!ls) return nothing;
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(ls.matchLabels ?? {})) {
    reqs.push((l) => has(l, key) && l[key] === value);
  }
  for (const e of ls.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw new Error(`for '${e.operator}' operator, values set can't be empty`);
        reqs.push(e.operator === 'In' ? (l) => has(l, e.key) && values.includes(l[e.key]) : (l) => !has(l, e.key) || !values.includes(l[e.key]));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new Error(`values set must be empty for exists and does not exist`);
        reqs.push(e.operator === 'Exists' ? (l) => has(l, e.key) : (l) => !has(l, e.key));
        break;
      default:
        throw new Error(`"${e.operator}" is not a valid label selector operator`);
    }
  }
  return matcher(reqs);
}

/** Every label in `set`, with its value; an empty set selects everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): Selector {
  return matcher(Object.entries(set ?? {}).map(([key, value]) => (l) => has(l, key) && l[key] === value));
}

function matcher(reqs: Requirement[]): Selector {
  if (reqs.length === 0) return everything;
  return { empty: false, matches: (labels) => reqs.every((r) => r(labels ?? {})) };
}
