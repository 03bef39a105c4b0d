/**
 * Node labels kube-apiserver warns about when pods select on them
 * (pkg/api/node/util.go, v1.33): the table and `GetWarningsForNodeSelectorTerm`.
 */
import type { NodeSelectorTerm } from 'kubernetes-types/core/v1.js';

const deprecatedNodeLabels: Readonly<Record<string, string>> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
};

/** `GetNodeLabelDeprecatedMessage`: the message for a deprecated node label, else undefined. */
export function nodeLabelDeprecatedMessage(key: string): string | undefined {
  return Object.hasOwn(deprecatedNodeLabels, key) ? deprecatedNodeLabels[key] : undefined;
}

/** `GetWarningsForNodeSelectorTerm`: deprecated keys in the term's matchExpressions. */
export function nodeSelectorTermWarnings(term: NodeSelectorTerm, path: string): string[] {
  const out: string[] = [];
  (term.matchExpressions ?? []).forEach((e, i) => {
    const msg = nodeLabelDeprecatedMessage(e.key);
    if (msg) out.push(`${path}.matchExpressions[${i}].key: ${e.key} is ${msg}`);
  });
  return out;
}
