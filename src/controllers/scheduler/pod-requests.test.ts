import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/api.ts';
import { podRequests, podResource } from './pod-requests.ts';

const c = (cpu: string, restartPolicy?: 'Always') => ({ name: 'c', image: 'x', resources: { requests: { cpu } }, ...(restartPolicy ? { restartPolicy } : {}) });
const cpuOf = (pod: Pod) => podRequests(pod).get('cpu')?.toString();

// The cases of component-helpers' TestPodRequests (init containers, sidecars, overhead).
const cases: { name: string; init?: ReturnType<typeof c>[]; containers: ReturnType<typeof c>[]; overhead?: Record<string, string>; cpu: string }[] = [
  { name: 'a larger init container wins over the containers', init: [c('4')], containers: [c('1'), c('1')], cpu: '4' },
  { name: 'larger containers win over the init container', init: [c('1')], containers: [c('2'), c('3')], cpu: '5' },
  { name: 'overhead is added', init: [c('1')], containers: [c('2'), c('3')], overhead: { cpu: '1' }, cpu: '6' },
  { name: 'a restartable init container counts with the containers', init: [c('1', 'Always')], containers: [c('1')], cpu: '2' },
  { name: 'restartable init containers add up', init: [c('1', 'Always'), c('2', 'Always'), c('3', 'Always')], containers: [c('1')], cpu: '7' },
  {
    name: 'a regular init container runs beside the restartable ones started before it',
    init: [c('1', 'Always'), c('1', 'Always'), c('5'), c('2', 'Always')],
    containers: [c('1')],
    cpu: '7',
  },
  { name: 'a regular init container before the sidecars runs alone', init: [c('5'), c('1', 'Always'), c('2', 'Always')], containers: [c('1')], cpu: '5' },
  {
    name: 'regular and restartable init containers mixed, the containers win',
    init: [c('5'), c('1', 'Always'), c('2', 'Always'), c('3')],
    containers: [c('3')],
    cpu: '6',
  },
  { name: 'millicores add exactly', containers: [c('100m'), c('250m')], cpu: '350m' },
];

for (const tc of cases) {
  test(`podRequests: ${tc.name}`, () => {
    const pod: Pod = { metadata: { name: 'p' }, spec: { initContainers: tc.init, containers: tc.containers, overhead: tc.overhead } } as Pod;
    assert.equal(cpuOf(pod), tc.cpu);
  });
}

test('podResource applies no non-zero defaults and keeps scalar resources', () => {
  const pod = {
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x', resources: { requests: { memory: '1Gi', 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi' } } }] },
  } as Pod;
  const r = podResource(pod);
  assert.equal(r.milliCPU, 0n);
  assert.equal(r.memory, 1024n ** 3n);
  assert.equal(r.scalar.get('example.com/gpu'), 2n);
  assert.equal(r.scalar.get('hugepages-2Mi'), 4n * 1024n * 1024n);
});
