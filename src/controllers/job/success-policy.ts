/**
 * `matchSuccessPolicy` of kube-controller-manager
 * pkg/controller/job/success_policy.go: an Indexed Job meets its
 * successPolicy when a rule's succeededIndexes all succeeded (or
 * succeededCount of them), or, without indexes, when succeededCount indexes
 * succeeded. The message names the first matching rule.
 */
import type { SuccessPolicy } from 'kubernetes-types/batch/v1.js';
import { has, parseIntervals, total, type Intervals } from './indexes.ts';

export const successPolicyMessage = 'Matched rules at index';

export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: Intervals): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  for (const [i, rule] of (policy.rules ?? []).entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIntervals(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      let matched = 0;
      for (const iv of required) for (let x = iv.first; x <= iv.last; x++) if (has(succeeded, x)) matched++;
      const need = rule.succeededCount ?? total(required);
      if (matched >= need) return `${successPolicyMessage} ${i}`;
    } else if (rule.succeededCount !== undefined && total(succeeded) >= rule.succeededCount) {
      return `${successPolicyMessage} ${i}`;
    }
  }
  return undefined;
}
