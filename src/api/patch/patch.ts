/**
 * patch — the three PATCH bodies kubectl sends, applied to a stored object.
 *
 * Owns: strategic merge patch (`application/strategic-merge-patch+json`,
 * what `kubectl apply` re-applies and `kubectl patch` sends by default), JSON
 * merge patch (RFC 7386, `--type merge`), JSON patch (RFC 6902,
 * `--type json`), the strategic-merge struct-tag table (patch-meta.ts) and
 * the Status errors kube-apiserver answers when a patch cannot be applied.
 *
 * Does not own: reading the request body or the Content-Type switch
 * (apiserver/verbs), validating or defaulting the result (api/validation,
 * api/defaults), resourceVersion checks (registry), or server-side apply
 * (`application/apply-patch+yaml`, api/managed-fields).
 *
 * State: none. Pure functions; inputs are never modified. Timers: none.
 */
import { ApiError, errors } from '../errors.ts';
import { jsonTypeWord } from '../go-format.ts';
import { applyJsonPatchOps, JsonPatchError } from './json-patch.ts';
import { mergePatchValue } from './json-merge-patch.ts';
import { GENERIC_UNPROCESSABLE, SmpError, toApiError } from './smp-errors.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { isJsonObject } from '../json-object.ts';

export { patchMeta, patchMetaFor, type FieldPatchMeta, type PatchMetaTable } from './patch-meta.ts';

/** kube-apiserver's `maxJSONPatchOperations`. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

function undecodable(v: unknown, goType: string, prefix = ''): ApiError {
  return errors.badRequest(`${prefix}json: cannot unmarshal ${jsonTypeWord(v)} into Go value of type ${goType}`);
}

/**
 * Applies a strategic merge patch to `original`, an object of `kind` (`Pod`,
 * `ConfigMap`, …), and returns the patched object. A `null` patch changes
 * nothing. Throws ApiError as kube-apiserver would answer.
 */
export function strategicMergePatch(original: object, patch: unknown, kind: string): object {
  if (patch === null) return structuredClone(original);
  if (!isJsonObject(patch)) throw undecodable(patch, 'map[string]interface {}');
  try {
    return applyStrategicMergePatch(original, patch, kind);
  } catch (err) {
    if (err instanceof SmpError) throw toApiError(err);
    throw err;
  }
}

/**
 * Applies an RFC 7386 merge patch. kube-apiserver decodes the patch as a JSON
 * object first, so a non-object patch is a 400; `null` changes nothing.
 */
export function jsonMergePatch(original: object, patch: unknown): object {
  if (patch === null) return structuredClone(original);
  if (!isJsonObject(patch)) throw undecodable(patch, 'map[string]interface {}', 'error decoding patch: ');
  return mergePatchValue(structuredClone(original), patch) as object;
}

/**
 * Applies an RFC 6902 patch. A body that is not a list of operation objects
 * is a 400; an operation that cannot be applied (missing path, failed
 * `test`, …) is the 422 kube-apiserver answers, whose message does not say
 * which operation failed. The library's reason is kept as the error's `cause`.
 */
export function jsonPatch(original: object, ops: unknown): object {
  if (!Array.isArray(ops)) throw undecodable(ops, 'jsonpatch.Patch');
  for (const op of ops) if (!isJsonObject(op)) throw undecodable(op, 'jsonpatch.Operation');
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  try {
    return applyJsonPatchOps(original, ops as Record<string, unknown>[]) as object;
  } catch (err) {
    if (err instanceof JsonPatchError) {
      const e = new ApiError(422, 'Invalid', GENERIC_UNPROCESSABLE, {});
      e.cause = err;
      throw e;
    }
    throw err;
  }
}
