import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand } from './expansion.ts';

test('expand replaces known $(VAR), keeps unknown ones and unescapes $$', () => {
  const vars: Record<string, string> = { A: 'x', B: 'y' };
  const look = (n: string) => vars[n];
  assert.equal(expand('$(A)-$(B)', look), 'x-y');
  assert.equal(expand('$(C)', look), '$(C)');
  assert.equal(expand('$$(A)', look), '$(A)');
  assert.equal(expand('cost: $5', look), 'cost: $5');
  assert.equal(expand('trailing $', look), 'trailing $');
  assert.equal(expand('$(A', look), '$(A');
  assert.equal(expand('$(unclosed $$', look), '$(unclosed $');
});
