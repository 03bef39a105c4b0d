import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goFloat, goTypeName, goValue, jsonTypeWord } from './go-format.ts';

describe('go-format', () => {
  it('goFloat matches Go %v for float64', () => {
    const cases: [number, string][] = [
      [80, '80'],
      [1.5, '1.5'],
      [-3, '-3'],
      [123456, '123456'],
      [1e6, '1e+06'],
      [1234567, '1.234567e+06'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e21, '1e+21'],
      [0, '0'],
    ];
    for (const [f, want] of cases) assert.equal(goFloat(f), want, String(f));
  });

  it('goValue prints maps with sorted keys, slices space-separated and nil as <nil>', () => {
    assert.equal(goValue({ name: 'x', a: [1, 'b', null], m: { z: true } }), 'map[a:[1 b <nil>] m:map[z:true] name:x]');
  });

  it('goTypeName and jsonTypeWord name decoded JSON types as Go does', () => {
    assert.deepEqual([[], {}, 'a', 1, true, null].map(goTypeName), [
      '[]interface {}',
      'map[string]interface {}',
      'string',
      'float64',
      'bool',
      '%!s(<nil>)',
    ]);
    assert.deepEqual([[], {}, 'a', 1, true, null].map(jsonTypeWord), ['array', 'object', 'string', 'number', 'bool', 'null']);
  });
});
