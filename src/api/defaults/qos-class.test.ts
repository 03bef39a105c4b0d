import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { podQosClass } from './qos-class.ts';

const c = (resources?: Container['resources']): Container => ({ name: 'c', image: 'x', resources });
const pod = (containers: Container[], initContainers: Container[] = []): Pod => ({ spec: { containers, initContainers } });

describe('podQosClass', () => {
  it('podQosClass is BestEffort when no container asks for cpu or memory', () => {
    assert.equal(podQosClass(pod([c(), c({ limits: { 'nvidia.com/gpu': '1' } })])), 'BestEffort');
    assert.equal(podQosClass(pod([c({ requests: { cpu: '0' } })])), 'BestEffort');
  });

  it('podQosClass is Guaranteed when every container has equal cpu and memory requests and limits', () => {
    const r = { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '0.5', memory: '1024Mi' } };
    assert.equal(podQosClass(pod([c(r), c(r)])), 'Guaranteed');
  });

  it('podQosClass is Burstable when a limit is missing or differs from the request', () => {
    assert.equal(podQosClass(pod([c({ limits: { cpu: '1' }, requests: { cpu: '1' } })])), 'Burstable');
    assert.equal(podQosClass(pod([c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })])), 'Burstable');
  });

  it('podQosClass counts init containers', () => {
    const g = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } };
    assert.equal(podQosClass(pod([c(g)], [c()])), 'Burstable');
    assert.equal(podQosClass(pod([c()], [c({ requests: { memory: '64Mi' } })])), 'Burstable');
  });
});
