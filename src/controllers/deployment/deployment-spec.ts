/**
 * What the controller reads of a Deployment's spec, with the apps/v1
 * defaults (SetDefaults_Deployment) filled where the stored object lacks
 * them, so a Deployment is handled as the API would have stored it:
 * replicas 1, strategy RollingUpdate with maxSurge and maxUnavailable 25%,
 * revisionHistoryLimit 10, progressDeadlineSeconds 600.
 *
 * maxSurge and maxUnavailable resolve as upstream's ResolveFenceposts:
 * percentages of the desired replicas, surge rounded up and unavailable
 * rounded down, and when both come to 0, maxUnavailable is 1.
 */
import type { Deployment } from 'kubernetes-types/apps/v1.js';

/** intstr.IntOrString as JSON carries it. */
export type IntOrString = number | string;

export type StrategyType = 'RollingUpdate' | 'Recreate';

/** math.MaxInt32: progressDeadlineSeconds and revisionHistoryLimit with this value mean "none". */
export const maxInt32 = 2147483647;

export function replicasOf(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

export function strategyType(d: Deployment): StrategyType {
  return (d.spec?.strategy?.type as StrategyType | undefined) ?? 'RollingUpdate';
}

export function isRollingUpdate(d: Deployment): boolean {
  return strategyType(d) === 'RollingUpdate';
}

/** The progress deadline in seconds, or undefined when the Deployment has none (HasProgressDeadline false). */
export function progressDeadlineSeconds(d: Deployment): number | undefined {
  const s = d.spec?.progressDeadlineSeconds ?? 600;
  return s === maxInt32 ? undefined : s;
}

/** The revision history limit, or undefined when every old ReplicaSet is kept (HasRevisionHistoryLimit false). */
export function revisionHistoryLimit(d: Deployment): number | undefined {
  const n = d.spec?.revisionHistoryLimit ?? 10;
  return n === maxInt32 ? undefined : n;
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** ResolveFenceposts: [maxSurge, maxUnavailable] for `desired` replicas. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

function rollingParams(d: Deployment): { maxSurge: IntOrString; maxUnavailable: IntOrString } {
  const ru = d.spec?.strategy?.rollingUpdate;
  return { maxSurge: ru?.maxSurge ?? '25%', maxUnavailable: ru?.maxUnavailable ?? '25%' };
}

/** MaxSurge: 0 for Recreate. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const { maxSurge: s, maxUnavailable: u } = rollingParams(d);
  return resolveFenceposts(s, u, replicasOf(d))[0];
}

/** MaxUnavailable: 0 for Recreate or no replicas, never more than the replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const { maxSurge: s, maxUnavailable: u } = rollingParams(d);
  return Math.min(resolveFenceposts(s, u, replicas)[1], replicas);
}
