import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalResourceQuantity, compareQuantities, formatQuantity, parseQuantity } from './quantity.ts';

describe('formatQuantity', () => {
  // Pairs from apimachinery's quantity_test.go (TestQuantityParse / canonical forms).
  const cases: [string | number, string][] = [
    ['0', '0'],
    ['0Mi', '0'],
    ['1', '1'],
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['100m', '100m'],
    ['2000', '2k'],
    ['1500', '1500'],
    ['1.5k', '1500'],
    ['1Ki', '1Ki'],
    ['1024', '1024'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    ['128Mi', '128Mi'],
    ['100M', '100M'],
    ['1e3', '1e3'],
    ['1E3', '1e3'],
    ['1e+3', '1e3'],
    ['10e3', '10e3'],
    ['1e-3', '1e-3'],
    ['-100m', '-100m'],
    ['+1', '1'],
    ['.5', '500m'],
    ['5.', '5'],
    ['1n', '1n'],
    ['0.0000000001', '1n'],
    [0.5, '500m'],
    [2, '2'],
    [128974848, '128974848'],
  ];
  for (const [input, want] of cases) {
    it(`formatQuantity renders ${JSON.stringify(input)} as ${want}`, () => {
      const q = parseQuantity(input);
      assert.ok(q, `parse ${input}`);
      assert.equal(formatQuantity(q), want);
    });
  }

  it('parseQuantity rejects malformed quantities', () => {
    for (const bad of ['', 'Mi', '1.2.3', '1Qi', 'abc', '1 Gi', '1e', '--1']) assert.equal(parseQuantity(bad), undefined, bad);
  });
});

describe('canonicalResourceQuantity', () => {
  it('canonicalResourceQuantity rounds up to milli-units as SetDefaults_ResourceList does', () => {
    assert.equal(canonicalResourceQuantity('0.0001'), '1m');
    assert.equal(canonicalResourceQuantity('1.0001'), '1001m');
    assert.equal(canonicalResourceQuantity('250m'), '250m');
    assert.equal(canonicalResourceQuantity(1), '1');
  });

  it('canonicalResourceQuantity leaves unparsable values for validation', () => {
    assert.equal(canonicalResourceQuantity('lots'), 'lots');
    assert.deepEqual(canonicalResourceQuantity({ a: 1 }), { a: 1 });
  });
});

describe('compareQuantities', () => {
  it('compareQuantities compares across suffixes', () => {
    const q = (s: string) => parseQuantity(s)!;
    assert.equal(compareQuantities(q('1Gi'), q('1024Mi')), 0);
    assert.equal(compareQuantities(q('500m'), q('0.5')), 0);
    assert.equal(compareQuantities(q('1G'), q('1Gi')), -1);
    assert.equal(compareQuantities(q('2'), q('1999m')), 1);
  });
});
