import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/api.ts';
import { boolParam, intParam } from './query-params.ts';
import { validateDeleteOptions, writeOptions } from './request-options.ts';

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err;
  }
  assert.fail('no error');
}

const q = (s: string) => new URLSearchParams(s);

test('writeOptions refuses an unsupported dryRun value with meta/v1 validation\'s 422', () => {
  const err = thrown(() => writeOptions(q('dryRun=Bogus'), 'CreateOptions'));
  assert.equal(err.code, 422);
  assert.equal(err.message, 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"');
  const both = thrown(() => writeOptions(q('dryRun=All&dryRun=all'), 'UpdateOptions'));
  assert.equal(both.message, 'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "all"}: supported values: "All"');
  assert.equal(writeOptions(q('dryRun=All'), 'PatchOptions').dryRun, true);
  assert.equal(writeOptions(q(''), 'PatchOptions').dryRun, false);
});

test('writeOptions refuses an unknown fieldValidation, a non-apply force and a bad fieldManager', () => {
  assert.equal(
    thrown(() => writeOptions(q('fieldValidation=strict'), 'CreateOptions')).message,
    'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
  );
  assert.equal(
    thrown(() => writeOptions(q('force=true'), 'PatchOptions', 'application/merge-patch+json')).message,
    'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
  );
  assert.equal(
    thrown(() => writeOptions(q(''), 'PatchOptions', 'application/apply-patch+yaml')).message,
    'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
  );
  assert.equal(
    thrown(() => writeOptions(q(`fieldManager=${'m'.repeat(129)}`), 'CreateOptions')).message,
    'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
  );
  assert.equal(
    thrown(() => writeOptions(q('fieldManager=a%07b'), 'CreateOptions')).message,
    'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\ab": invalid character U+0007 (at position 1)',
  );
  const ok = writeOptions(q('fieldManager=kubectl-client-side-apply&fieldValidation=Strict&force=True'), 'PatchOptions', 'application/apply-patch+yaml');
  assert.deepEqual(ok, { dryRun: false, fieldManager: 'kubectl-client-side-apply', fieldValidation: 'Strict', force: true });
});

test('validateDeleteOptions refuses an unknown propagationPolicy or dryRun value', () => {
  assert.equal(
    thrown(() => validateDeleteOptions([], 'Sometimes', undefined)).message,
    'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"',
  );
  assert.equal(thrown(() => validateDeleteOptions(['Bogus'], undefined, undefined)).code, 422);
  validateDeleteOptions(['All'], 'Foreground', undefined);
});

test('boolParam reads booleans as kube-apiserver does: present and not 0 or false in any case', () => {
  for (const v of ['true', 'True', 'TRUE', '1', 'yes', '']) assert.equal(boolParam(q(`watch=${v}`), 'watch'), true, v);
  for (const v of ['false', 'False', 'FALSE', '0']) assert.equal(boolParam(q(`watch=${v}`), 'watch'), false, v);
  assert.equal(boolParam(q(''), 'watch'), false);
});

test('intParam refuses what strconv.ParseInt refuses with its text', () => {
  assert.equal(intParam(q('gracePeriodSeconds=%2B30'), 'gracePeriodSeconds'), 30);
  assert.equal(intParam(q('gracePeriodSeconds=-1'), 'gracePeriodSeconds'), -1);
  assert.equal(intParam(q(''), 'gracePeriodSeconds'), undefined);
  const err = thrown(() => intParam(q('gracePeriodSeconds=3.5'), 'gracePeriodSeconds'));
  assert.equal(err.code, 400);
  assert.equal(err.message, 'strconv.ParseInt: parsing "3.5": invalid syntax');
  assert.equal(thrown(() => intParam(q('tailLines=99999999999999999999'), 'tailLines')).message, 'strconv.ParseInt: parsing "99999999999999999999": value out of range');
});
