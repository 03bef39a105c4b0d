import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from 'kubernetes-types/core/v1.js';
import { matchesRequiredNodeAffinity } from './node-affinity.ts';

const n: Node = { metadata: { name: 'n1', labels: { zone: 'a', gen: '5' } } };
const withTerms = (...nodeSelectorTerms: NodeSelectorTerm[]): PodSpec => ({
  containers: [],
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
});

test('matchesRequiredNodeAffinity applies label operators and rejects unparsable requirements as upstream', () => {
  const cases: [NodeSelectorRequirement, boolean][] = [
    [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, true],
    [{ key: 'zone', operator: 'In', values: [] }, false],
    [{ key: 'zone', operator: 'NotIn', values: ['a'] }, false],
    [{ key: 'missing', operator: 'NotIn', values: ['a'] }, true],
    [{ key: 'missing', operator: 'NotIn', values: [] }, false],
    [{ key: 'gen', operator: 'Gt', values: ['4'] }, true],
    [{ key: 'gen', operator: 'Gt', values: ['+4'] }, true],
    [{ key: 'gen', operator: 'Gt', values: ['4', '3'] }, false],
    [{ key: 'gen', operator: 'Lt', values: ['5'] }, false],
    [{ key: 'zone', operator: 'Gt', values: ['1'] }, false],
    [{ key: 'zone', operator: 'Exists' }, true],
    [{ key: 'zone', operator: 'Exists', values: ['a'] }, false],
    [{ key: 'zone', operator: 'DoesNotExist' }, false],
    [{ key: 'zone', operator: 'Near', values: ['a'] }, false],
  ];
  for (const [r, want] of cases) assert.equal(matchesRequiredNodeAffinity(withTerms({ matchExpressions: [r] }), n), want, JSON.stringify(r));
});

test('matchesRequiredNodeAffinity takes metadata.name fields with In or NotIn and one value only', () => {
  const cases: [NodeSelectorRequirement, boolean][] = [
    [{ key: 'metadata.name', operator: 'In', values: ['n1'] }, true],
    [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }, false],
    [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }, false],
    [{ key: 'metadata.name', operator: 'Exists' }, false],
    [{ key: 'metadata.uid', operator: 'In', values: ['n1'] }, false],
  ];
  for (const [r, want] of cases) assert.equal(matchesRequiredNodeAffinity(withTerms({ matchFields: [r] }), n), want, JSON.stringify(r));
});

test('matchesRequiredNodeAffinity needs the nodeSelector and any one non-empty term', () => {
  assert.equal(matchesRequiredNodeAffinity(withTerms({}), n), false);
  assert.equal(matchesRequiredNodeAffinity(withTerms({}, { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }), n), true);
  assert.equal(matchesRequiredNodeAffinity({ containers: [], nodeSelector: { zone: 'b' } }, n), false);
  assert.equal(matchesRequiredNodeAffinity({ containers: [], nodeSelector: { zone: 'a' } }, n), true);
  assert.equal(matchesRequiredNodeAffinity(undefined, n), true);
});
