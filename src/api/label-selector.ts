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

/** One requirement of a LabelSelector: matchLabels' `key=value` is `=` with that one value. */
export interface LabelRequirement {
  key: string;
  operator: '=' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: readonly string[];
}

/**
 * LabelSelectorAsSelector's conversion: matchLabels, then matchExpressions,
 * in their order. Throws for an unknown operator or values that do not fit
 * it, as upstream errs.
 */
export function labelSelectorRequirements(ls: LabelSelector): LabelRequirement[] {
  const reqs: LabelRequirement[] = Object.entries(ls.matchLabels ?? {}).map(([key, value]) => ({ key, operator: '=', values: [value] }));
  for (const e of ls.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw new Error(`for '${e.operator}' operator, values set can't be empty`);
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new Error(`values set must be empty for exists and does not exist`);
        break;
      default:
        throw new Error(`"${e.operator}" is not a valid label selector operator`);
    }
    reqs.push({ key: e.key, operator: e.operator, values });
  }
  return reqs;
}

function requirementMatcher(r: LabelRequirement): Requirement {
  switch (r.operator) {
    case '=':
      return (l) => has(l, r.key) && l[r.key] === r.values[0];
    case 'In':
      return (l) => has(l, r.key) && r.values.includes(l[r.key]);
    case 'NotIn':
      return (l) => !has(l, r.key) || !r.values.includes(l[r.key]);
    case 'Exists':
      return (l) => has(l, r.key);
    case 'DoesNotExist':
      return (l) => !has(l, r.key);
  }
}

/** Throws for an unknown operator or values that do not fit it, as LabelSelectorAsSelector errs. */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (!ls) return nothing;
  return matcher(labelSelectorRequirements(ls).map(requirementMatcher));
}

/** Every label in `set`, with its value; an empty set selects everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): Selector {
  return matcher(Object.entries(set ?? {}).map(([key, value]) => (l) => has(l, key) && l[key] === value));
}

function matcher(reqs: Requirement[]): Selector {
  if (reqs.length === 0) return everything;
  return { empty: false, matches: (labels) => reqs.every((r) => r(labels ?? {})) };
}
