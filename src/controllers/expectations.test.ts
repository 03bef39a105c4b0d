import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerExpectations, expectationsTimeoutMs } from './expectations.ts';
import { FakeClock } from '../clock/fake-clock.ts';

test('ControllerExpectations are satisfied for a key it knows nothing of', () => {
  const e = new ControllerExpectations(new FakeClock());
  assert.equal(e.satisfied('default/rs'), true);
  assert.equal(e.get('default/rs'), undefined);
});

test('ControllerExpectations hold a key until every expected creation is observed', () => {
  const e = new ControllerExpectations(new FakeClock());
  e.expectCreations('default/rs', 2);
  assert.equal(e.satisfied('default/rs'), false);
  e.creationObserved('default/rs');
  assert.equal(e.satisfied('default/rs'), false);
  e.creationObserved('default/rs');
  assert.equal(e.satisfied('default/rs'), true);
  assert.deepEqual(e.get('default/rs'), { add: 0, del: 0 });
});

test('ControllerExpectations hold a key until deletions are observed, and lower releases creates that failed', () => {
  const e = new ControllerExpectations(new FakeClock());
  e.expectDeletions('k', 1);
  assert.equal(e.satisfied('k'), false);
  e.deletionObserved('k');
  assert.equal(e.satisfied('k'), true);

  e.expectCreations('k', 3);
  e.creationObserved('k');
  e.lower('k', 2, 0);
  assert.equal(e.satisfied('k'), true);
  e.raise('k', 1, 0);
  assert.equal(e.satisfied('k'), false);
});

test('ControllerExpectations release a key five minutes after they were set, even unobserved', () => {
  const clock = new FakeClock();
  const e = new ControllerExpectations(clock);
  e.expectCreations('k', 1);
  clock.step(expectationsTimeoutMs);
  assert.equal(e.satisfied('k'), false, 'not before the timeout has passed');
  clock.step(1);
  assert.equal(e.satisfied('k'), true);
  e.set('k', 1, 0);
  assert.equal(e.satisfied('k'), false, 'set restarts the timeout');
});

test('ControllerExpectations raise and observations on unknown keys change nothing, and delete forgets a key', () => {
  const e = new ControllerExpectations(new FakeClock());
  e.creationObserved('k');
  e.raise('k', 5, 5);
  assert.equal(e.get('k'), undefined);
  e.expectCreations('k', 1);
  e.delete('k');
  assert.equal(e.satisfied('k'), true);
});
