import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { breakdownRule, compactRules, compactString, covers } from './policy-comparator.ts';

const r = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });
const u = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

// Cases of upstream policy_comparator_test.go.
const cases: { name: string; owner: PolicyRule[]; servant: PolicyRule[]; uncovered: PolicyRule[] }[] = [
  { name: 'exact match', owner: [r(['get'], ['g'], ['pods'])], servant: [r(['get'], ['g'], ['pods'])], uncovered: [] },
  {
    name: 'partial match',
    owner: [r(['get'], ['g'], ['pods'])],
    servant: [r(['get', 'list'], ['g'], ['pods', 'services'])],
    uncovered: [r(['list'], ['g'], ['pods']), r(['get'], ['g'], ['services']), r(['list'], ['g'], ['services'])],
  },
  { name: 'star verb, group, resource', owner: [r(['*'], ['*'], ['*'])], servant: [r(['delete'], ['apps'], ['deployments/scale'], ['x'])], uncovered: [] },
  { name: 'resource names restrict the owner', owner: [r(['get'], [''], ['pods'], ['a'])], servant: [r(['get'], [''], ['pods'])], uncovered: [r(['get'], [''], ['pods'])] },
  { name: 'an owner without names covers named servants', owner: [r(['get'], [''], ['pods'])], servant: [r(['get'], [''], ['pods'], ['a', 'b'])], uncovered: [] },
  { name: '*/subresource covers any resource\'s subresource', owner: [r(['get'], [''], ['*/status'])], servant: [r(['get'], [''], ['pods/status', 'pods'])], uncovered: [r(['get'], [''], ['pods'])] },
  { name: 'URL prefixes', owner: [u(['get'], ['/api/*'])], servant: [u(['get'], ['/api/v1', '/apis'])], uncovered: [u(['get'], ['/apis'])] },
  { name: 'a resource rule never covers a URL', owner: [r(['*'], ['*'], ['*'])], servant: [u(['get'], ['/healthz'])], uncovered: [u(['get'], ['/healthz'])] },
];

for (const c of cases) {
  test(`covers: ${c.name}`, () => {
    const got = covers(c.owner, c.servant);
    assert.deepEqual(got.uncovered, c.uncovered);
    assert.equal(got.covered, c.uncovered.length === 0);
  });
}

test('breakdownRule splits every group, resource, verb and name, and URLs by verb', () => {
  assert.equal(breakdownRule({ verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['a', 'b'], resourceNames: ['x', 'y'] }).length, 16);
  assert.deepEqual(breakdownRule(u(['get', 'post'], ['/x'])), [u(['get'], ['/x']), u(['post'], ['/x'])]);
});

test('compactRules merges verbs of one group and resource; compactString prints Go %q lists', () => {
  const compact = compactRules([r(['get'], [''], ['pods']), u(['get'], ['/x']), r(['list'], [''], ['pods']), r(['get'], [''], ['pods'], ['a'])]);
  assert.deepEqual(compact.map(compactString), [
    '{NonResourceURLs:["/x"], Verbs:["get"]}',
    '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}',
    '{APIGroups:[""], Resources:["pods"], ResourceNames:["a"], Verbs:["get"]}',
  ]);
});
