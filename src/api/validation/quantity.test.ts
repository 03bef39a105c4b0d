import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalResourceQuantity, parseQuantity, parseQuantityValue, QuantityErrorMessage } from './validation.ts';

const canonical: [string, string][] = [
  ['1', '1'],
  ['1000m', '1'],
  ['0.5', '500m'],
  ['.5', '500m'],
  ['2000', '2k'],
  ['1500m', '1500m'],
  ['1.5', '1500m'],
  ['1Gi', '1Gi'],
  ['1024Mi', '1Gi'],
  ['1.5Gi', '1536Mi'],
  ['512Ki', '512Ki'],
  ['1e3', '1e3'],
  ['1.5e3', '1500'],
  ['1000k', '1M'],
  ['0.0000000001', '1n'],
  ['-1', '-1'],
  ['-0', '0'],
  ['01', '01'],
  ['16Ei', '9223372036854775807'],
];

for (const [input, want] of canonical) {
  test(`parseQuantity prints ${JSON.stringify(input)} as ${JSON.stringify(want)}`, () => {
    assert.equal(parseQuantity(input).toString(), want);
  });
}

test('parseQuantity rejects malformed text with apimachinery messages', () => {
  assert.throws(() => parseQuantity('abc'), { message: QuantityErrorMessage.FormatWrong });
  assert.throws(() => parseQuantity(''), { message: QuantityErrorMessage.FormatWrong });
  assert.throws(() => parseQuantity('1.5.5'), { message: QuantityErrorMessage.FormatWrong });
  assert.throws(() => parseQuantity('1K'), { message: QuantityErrorMessage.Suffix });
  assert.throws(() => parseQuantity('1e'), { message: QuantityErrorMessage.Suffix });
  assert.equal(
    QuantityErrorMessage.FormatWrong,
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
});

test('Quantity.cmp compares by value across formats', () => {
  const cmp = (a: unknown, b: unknown) => parseQuantityValue(a).cmp(parseQuantityValue(b));
  assert.equal(cmp('1', '1000m'), 0);
  assert.equal(cmp('1Gi', '1G'), 1);
  assert.equal(cmp('100m', 0.2), -1);
});

test('Quantity value and milliValue round up like Value and MilliValue', () => {
  assert.equal(parseQuantityValue('1Gi').value(), 1073741824n);
  assert.equal(parseQuantityValue('1.5k').value(), 1500n);
  assert.equal(parseQuantityValue('100m').value(), 1n);
  assert.equal(parseQuantityValue('0.5').milliValue(), 500n);
  assert.equal(parseQuantityValue('1n').milliValue(), 1n);
  assert.equal(parseQuantityValue(2).milliValue(), 2000n);
});

test('canonicalResourceQuantity rounds up to milli-units as SetDefaults_ResourceList does', () => {
  assert.equal(canonicalResourceQuantity('0.0001'), '1m');
  assert.equal(canonicalResourceQuantity('1.0001'), '1001m');
  assert.equal(canonicalResourceQuantity('250m'), '250m');
  assert.equal(canonicalResourceQuantity('1.5Gi'), '1536Mi');
  assert.equal(canonicalResourceQuantity(0.5), '500m');
  assert.equal(canonicalResourceQuantity(1), '1');
});

test('canonicalResourceQuantity leaves unparsable values for validation to reject', () => {
  assert.equal(canonicalResourceQuantity('lots'), 'lots');
  assert.deepEqual(canonicalResourceQuantity({ a: 1 }), { a: 1 });
});

test('Quantity.add sums across suffixes and Quantity.cmp compares by value', () => {
  assert.equal(parseQuantity('1Gi').add(parseQuantity('1024Mi')).toString(), '2Gi');
  assert.equal(parseQuantity('500m').add(parseQuantity('0.5')).toString(), '1');
  assert.equal(parseQuantity('1G').cmp(parseQuantity('1Gi')), -1);
  assert.equal(parseQuantity('2').cmp(parseQuantity('1999m')), 1);
});
