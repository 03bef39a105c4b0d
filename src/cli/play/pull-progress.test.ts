import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PullProgress } from './pull-progress.ts';

const ev = (reason: string, fieldPath = 'spec.containers{app}') => ({
  reason,
  message: reason === 'Pulling' ? 'Pulling image "registry.example/big:1"' : '',
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', fieldPath },
});

describe('PullProgress', () => {
  it('PullProgress notes a running pull once every 5 s', () => {
    const p = new PullProgress();
    p.onEvent(ev('Pulling'), 1000);
    assert.deepEqual(p.due(5000), []);
    assert.deepEqual(p.due(6000), ['still pulling image "registry.example/big:1" for pod/web (5 s)']);
    assert.deepEqual(p.due(7000), [], 'not again within the same 5 s');
    assert.deepEqual(p.due(11_500), ['still pulling image "registry.example/big:1" for pod/web (11 s)']);
  });

  it('PullProgress stops noting once the image is pulled or the pull failed', () => {
    const p = new PullProgress();
    p.onEvent(ev('Pulling'), 0);
    p.onEvent(ev('Pulled'), 3000);
    assert.deepEqual(p.due(60_000), []);
    p.onEvent(ev('Pulling', 'spec.initContainers{init}'), 0);
    p.onEvent(ev('Failed', 'spec.initContainers{init}'), 1000);
    assert.deepEqual(p.due(60_000), []);
  });

  it('PullProgress keeps pulls of different containers apart', () => {
    const p = new PullProgress();
    p.onEvent(ev('Pulling', 'spec.containers{a}'), 0);
    p.onEvent(ev('Pulling', 'spec.containers{b}'), 0);
    p.onEvent(ev('Pulled', 'spec.containers{a}'), 1000);
    assert.equal(p.due(5000).length, 1);
  });
});
