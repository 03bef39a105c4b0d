/**
 * JSON merge patch (RFC 7386), for `kubectl patch --type merge`
 * (`application/merge-patch+json`).
 */

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 7386 `MergePatch(target, patch)`; `target` is modified and returned. */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchValue(out[k], v);
  }
  return out;
}
