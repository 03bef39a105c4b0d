/**
 * The protection controllers' decision (pv_protection_controller's
 * processPV, pvc_protection_controller's processPVC): an object not being
 * deleted gets the protection finalizer; one being deleted loses it once it
 * is no longer in use. Pure; the controllers write the result.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** The finalizers to write, or undefined when nothing changes. `inUse` is asked only for an object being deleted that has the finalizer. */
export function protectionFinalizers(meta: ObjectMeta | undefined, finalizer: string, inUse: () => boolean): string[] | undefined {
  const finalizers = meta?.finalizers ?? [];
  const has = finalizers.includes(finalizer);
  if (!meta?.deletionTimestamp) return has ? undefined : [...finalizers, finalizer];
  if (!has || inUse()) return undefined;
  return finalizers.filter((f) => f !== finalizer);
}
