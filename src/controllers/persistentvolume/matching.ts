/**
 * Which volume a claim may bind to: `FindMatchingVolume` and
 * `CheckVolumeModeMismatches` of kubernetes
 * `pkg/controller/volume/persistentvolume/util` (v1.33) and the node-affinity
 * check of `CheckNodeAffinity`. Pure functions.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { selectorFromLabelSelector } from '../../api/label-selector.ts';
import { tryParseQuantity } from '../../api/validation/quantity.ts';
import { AnnSelectedNode, claimClass, volumeClass } from '../volume-claims.ts';

/** `IsVolumeBoundToClaim`: the claimRef names the claim, with its UID. */
export function isVolumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  return ref.name === claim.metadata?.name && ref.namespace === claim.metadata?.namespace && (ref.uid ?? '') === (claim.metadata?.uid ?? '');
}

/** The volume is pre-bound (by a user or a provisioner) to this claim: same name and namespace, and the UID if any. */
function isPreBoundTo(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  return ref.name === claim.metadata?.name && ref.namespace === claim.metadata?.namespace && (!ref.uid || ref.uid === claim.metadata?.uid);
}

function accessModesContained(volumeModes: readonly string[] | undefined, claimModes: readonly string[] | undefined): boolean {
  const have = new Set(volumeModes ?? []);
  return (claimModes ?? []).every((m) => have.has(m));
}

/** `CheckNodeAffinity` for berth's node: the volume's required terms match the node's labels. */
export function volumeFitsNode(pv: PersistentVolume, node: Node | undefined, nodeName: string): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  const labels: Record<string, string> = { 'kubernetes.io/hostname': nodeName, ...(node?.metadata?.labels ?? {}) };
  return terms.some((term) =>
    (term.matchExpressions ?? []).every((e) => {
      const has = Object.hasOwn(labels, e.key);
      const v = labels[e.key];
      switch (e.operator) {
        case 'In':
          return has && (e.values ?? []).includes(v!);
        case 'NotIn':
          return !has || !(e.values ?? []).includes(v!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return false;
      }
    }),
  );
}

/**
 * `FindMatchingVolume`: a volume pre-bound to the claim wins; otherwise the
 * smallest unbound one of the claim's class and volume mode that has the
 * access modes, fits the selector and holds the request. With `delayBinding`
 * (WaitForFirstConsumer and no node chosen yet) only pre-bound volumes count;
 * with `node`, volumes must fit it.
 */
export function findMatchingVolume(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  opts: { delayBinding: boolean; node?: { name: string; object?: Node } },
): PersistentVolume | undefined {
  const request = tryParseQuantity(claim.spec?.resources?.requests?.storage);
  const selector = claim.spec?.selector ? selectorFromLabelSelector(claim.spec.selector) : undefined;
  const className = claimClass(claim);
  const claimMode = claim.spec?.volumeMode ?? 'Filesystem';
  let best: PersistentVolume | undefined;
  for (const pv of volumes) {
    const capacity = tryParseQuantity(pv.spec?.capacity?.storage);
    if (!capacity || !request || capacity.cmp(request) < 0) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== claimMode) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    if (opts.node && !volumeFitsNode(pv, opts.node.object, opts.node.name)) continue;
    if (isPreBoundTo(pv, claim)) {
      // A pre-bound volume is the claim's whatever its class or selector, if the modes fit.
      if (accessModesContained(pv.spec?.accessModes, claim.spec?.accessModes)) return pv;
      continue;
    }
    if (pv.spec?.claimRef) continue;
    if (opts.delayBinding && !opts.node) continue;
    if (pv.status?.phase !== 'Available' && pv.status?.phase !== 'Pending' && pv.status?.phase !== undefined) continue;
    if (selector && !selector.matches(pv.metadata?.labels ?? {})) continue;
    if (volumeClass(pv) !== className) continue;
    if (!accessModesContained(pv.spec?.accessModes, claim.spec?.accessModes)) continue;
    const bestCap = best ? tryParseQuantity(best.spec?.capacity?.storage) : undefined;
    if (!best || (bestCap && capacity.cmp(bestCap) < 0)) best = pv;
  }
  return best;
}
