/**
 * The errors of apimachinery's `mergepatch`/`strategicpatch` packages, with
 * their texts, and how kube-apiserver answers each
 * (`interpretStrategicMergePatchError`): 400 for malformed directives, 422
 * for lists of lists and retainKeys mismatches, and for everything else the
 * bare error as a 500 with no reason (kubectl: `Error from server: <text>`).
 */
import { ApiError } from '../errors.ts';
import { goTypeName, goValue } from '../go-format.ts';

export type SmpErrorClass = 'BadRequest' | 'Invalid' | 'Unknown';

export class SmpError extends Error {
  readonly errorClass: SmpErrorClass;

  constructor(message: string, errorClass: SmpErrorClass = 'Unknown') {
    super(message);
    this.name = 'SmpError';
    this.errorClass = errorClass;
  }
}

/** The message kube-apiserver's `NewGenericServerResponse(422, …)` carries; the cause is not shown. */
export const GENERIC_UNPROCESSABLE = 'the server rejected our request due to an error in our request';

export const smpErrors = {
  badJSONDoc: () => new SmpError('invalid JSON document', 'BadRequest'),
  noListOfLists: () => new SmpError('lists of lists are not supported', 'Invalid'),
  badPatchFormatForPrimitiveList: () => new SmpError('invalid patch format of primitive list', 'BadRequest'),
  badPatchFormatForRetainKeys: () => new SmpError('invalid patch format of retainKeys', 'BadRequest'),
  badPatchFormatForSetElementOrderList: () => new SmpError('invalid patch format of setElementOrder list', 'BadRequest'),
  patchContentNotMatchRetainKeys: () => new SmpError("patch content doesn't match retainKeys list", 'Invalid'),
  noMergeKey: (m: unknown, key: string) => new SmpError(`map: ${goValue(m)} does not contain declared merge key: ${key}`),
  badPatchType: (t: unknown, m: unknown) => new SmpError(`unknown patch type: ${goValue(t)} in map: ${goValue(m)}`),
  badArgType: (expected: unknown, actual: unknown) =>
    new SmpError(`expected a ${goTypeName(expected)}, but received a ${goTypeName(actual)}`),
} as const;

/** The ApiError kube-apiserver answers for a failed strategic merge patch. */
export function toApiError(err: SmpError): ApiError {
  switch (err.errorClass) {
    case 'BadRequest':
      return new ApiError(400, 'BadRequest', err.message);
    case 'Invalid': {
      const e = new ApiError(422, 'Invalid', GENERIC_UNPROCESSABLE, {});
      e.cause = err;
      return e;
    }
    default:
      return new ApiError(500, '', err.message);
  }
}
