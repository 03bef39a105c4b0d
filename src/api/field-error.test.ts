import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from './errors.ts';
import { aggregateFieldErrors, fieldError, FieldErrorType, goSyntax, omitValue, renderFieldError } from './field-error.ts';
import { goQuote } from './go-format.ts';

test('goQuote follows strconv.Quote for control, named and non-printable runes', () => {
  const cases: [string, string][] = [
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\x00\x1f\x7f', '"\\x00\\x1f\\x7f"'],
    ['\u0085', '"\\u0085"'],
    ['no\u00a0break', '"no\\u00a0break"'],
    ['\u2028', '"\\u2028"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['café ☃ 😀', '"café ☃ 😀"'],
    ['\ud800', '"\ufffd"'],
  ];
  for (const [input, want] of cases) assert.equal(goQuote(input), want, JSON.stringify(input));
});

test('renderFieldError prints a nil value as the quoted string "null", as v1.33 does', () => {
  assert.equal(
    renderFieldError(fieldError(FieldErrorType.Invalid, 'spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value')),
    'spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value',
  );
});

test('renderFieldError prints []string with Go syntax and Stringers unquoted', () => {
  assert.equal(
    renderFieldError(fieldError(FieldErrorType.Invalid, 'metadata.finalizers', ['orphan', 'foregroundDeletion'], 'cannot be both set')),
    'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: cannot be both set',
  );
  assert.equal(
    renderFieldError(fieldError(FieldErrorType.Invalid, 'spec.containers[0].resources.requests[hugepages-2Mi]', goSyntax('1500k'), 'must be an integer')),
    'spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: 1500k: must be an integer',
  );
});

test('renderFieldError prints numbers as Go integers and floats, and omits the value when asked', () => {
  assert.equal(renderFieldError(fieldError(FieldErrorType.Invalid, 'x', 2, 'must be 1')), 'x: Invalid value: 2: must be 1');
  assert.equal(renderFieldError(fieldError(FieldErrorType.Invalid, 'x', 1e-7, 'small')), 'x: Invalid value: 1e-07: small');
  assert.equal(renderFieldError(fieldError(FieldErrorType.Invalid, 'x', omitValue, 'no value')), 'x: Invalid value: no value');
  assert.equal(renderFieldError(fieldError(FieldErrorType.Required, 'x', 'ignored')), 'x: Required value');
  assert.equal(renderFieldError(fieldError(FieldErrorType.NotSupported, 'x', 'tab\there', 'supported values: "a"')), 'x: Unsupported value: "tab\\there": supported values: "a"');
});

test('aggregateFieldErrors brackets several messages and drops duplicates', () => {
  const a = fieldError(FieldErrorType.Required, 'a');
  const b = fieldError(FieldErrorType.Duplicate, 'b', 'x');
  assert.equal(aggregateFieldErrors([a]), 'a: Required value');
  assert.equal(aggregateFieldErrors([a, b, a]), '[a: Required value, b: Duplicate value: "x"]');
});

test('errors.invalid and errors.notFound quote the name with Go %q', () => {
  const e = errors.invalid('Pod', 'we"ird', [fieldError(FieldErrorType.Required, 'spec.containers')]);
  assert.equal(e.message, 'Pod "we\\"ird" is invalid: spec.containers: Required value');
  assert.deepEqual(e.details?.causes, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }]);
  assert.equal(errors.notFound('pods', 'a\tb').message, 'pods "a\\tb" not found');
});
