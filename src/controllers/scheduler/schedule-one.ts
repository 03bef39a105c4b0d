/**
 * One scheduling attempt, decided without side effects (schedule_one.go's
 * SchedulePod with the DefaultPreemption PostFilter's message): either the
 * node to bind to, or the FitError message the pod's PodScheduled
 * condition and FailedScheduling event carry, and the plugins that
 * rejected it (what the queue waits on).
 *
 * Preemption is not carried out: its dry run only words the message.
 */
import type { Pod } from '../../api/api.ts';
import { runFilters, type StatusCode } from './filters.ts';
import { affinityNodeNames } from './node-affinity.ts';
import { nodeInfo, type NodeInfo } from './node-info.ts';

export type Decision =
  | { kind: 'bind'; nodeName: string }
  | { kind: 'unschedulable'; message: string; plugins: Set<string> };

interface Status {
  code: StatusCode;
  reasons: string[];
}

export const noNodesAvailable = 'no nodes available to schedule pods';
const notHelpful = 'Preemption is not helpful for scheduling';
const noVictims = 'No preemption victims found for incoming pod';

/**
 * FitError.Error(): `0/N nodes are available:` then the prefilter message
 * or the sorted histogram of node reasons, then the postfilter message.
 */
export function fitErrorMessage(numNodes: number, statuses: readonly Status[], opts: { preFilterMsg?: string; postFilterMsg?: string } = {}): string {
  let msg = `0/${numNodes} nodes are available:`;
  if (opts.preFilterMsg) msg += ` ${opts.preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort(goStringLess);
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (opts.postFilterMsg) msg += ` ${opts.postFilterMsg}`;
  return msg;
}

/** Go's sort.Strings order: bytewise. */
function goStringLess(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

const priorityOf = (pod: Pod) => pod.spec?.priority ?? 0;

/**
 * DefaultPreemption.PostFilter's message for nodes that all failed: an
 * unresolvable failure is not helped by preemption; otherwise the node's
 * lower-priority pods are the candidate victims — none, or the pod still
 * does not fit without them. Undefined when victims would make room (there
 * upstream preempts, and the cycle's message has no postfilter part).
 */
export function preemptionMessage(pod: Pod, failed: readonly { info?: NodeInfo; status: Status }[]): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const statuses: Status[] = [];
  for (const { info, status } of failed) {
    if (status.code === 'UnschedulableAndUnresolvable' || !info) {
      statuses.push({ code: 'UnschedulableAndUnresolvable', reasons: [notHelpful] });
      continue;
    }
    const remaining = info.pods.filter((p) => priorityOf(p) >= priorityOf(pod));
    if (remaining.length === info.pods.length) {
      statuses.push({ code: 'UnschedulableAndUnresolvable', reasons: [noVictims] });
      continue;
    }
    const without = runFilters(pod, nodeInfo(info.node, remaining));
    if (!without) return undefined;
    statuses.push({ code: without.code, reasons: without.reasons });
  }
  return `preemption: ${fitErrorMessage(failed.length, statuses)}`;
}

/** Schedules `pod` onto one of `nodes` (berth has one), or says why not. */
export function schedulePod(pod: Pod, nodes: readonly NodeInfo[]): Decision {
  if (nodes.length === 0) return { kind: 'unschedulable', message: noNodesAvailable, plugins: new Set() };
  const plugins = new Set<string>();
  const pinned = affinityNodeNames(pod);
  if (pinned && pinned.size === 0) {
    // NodeAffinity's PreFilter: the terms name no node in common.
    const status: Status = { code: 'UnschedulableAndUnresolvable', reasons: ['pod affinity terms conflict'] };
    const postFilterMsg = preemptionMessage(pod, nodes.map(() => ({ status })));
    return { kind: 'unschedulable', message: fitErrorMessage(nodes.length, [], { preFilterMsg: status.reasons[0], postFilterMsg }), plugins: new Set(['NodeAffinity']) };
  }
  const failed: { info?: NodeInfo; status: Status }[] = [];
  for (const info of nodes) {
    if (pinned && !pinned.has(info.node.metadata?.name ?? '')) {
      plugins.add('NodeAffinity');
      failed.push({ status: { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"] } });
      continue;
    }
    const failure = runFilters(pod, info);
    if (!failure) return { kind: 'bind', nodeName: info.node.metadata?.name ?? '' };
    plugins.add(failure.plugin);
    failed.push({ info, status: failure });
  }
  const postFilterMsg = preemptionMessage(pod, failed);
  return { kind: 'unschedulable', message: fitErrorMessage(nodes.length, failed.map((f) => f.status), { postFilterMsg }), plugins };
}
