/**
 * JSON merge patch (RFC 7386), for `kubectl patch --type merge`
 * (`application/merge-patch+json`).
 */
import { isJsonObject, own, setOwn } from '../json-object.ts';

/** RFC 7386 `MergePatch(target, patch)`; `target` is modified and returned. */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const out: Record<string, unknown> = isJsonObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, mergePatchValue(own(out, k), v));
  }
  return out;
}
