import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../clock/fake-clock.ts';
import { UidTrackingExpectations } from './uid-expectations.ts';

test('UidTrackingExpectations counts each expected pod deletion once, and ignores pods not expected', () => {
  const e = new UidTrackingExpectations(new FakeClock());
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  assert.equal(e.satisfied('ns/rs'), false);
  e.deletionObserved('ns/rs', 'ns/a'); // deletionTimestamp set
  e.deletionObserved('ns/rs', 'ns/a'); // then gone: not counted again
  e.deletionObserved('ns/rs', 'ns/other');
  assert.deepEqual(e.get('ns/rs'), { add: 0, del: 1 });
  e.deletionObserved('ns/rs', 'ns/b');
  assert.equal(e.satisfied('ns/rs'), true);

  e.expectDeletions('ns/rs', ['ns/c']);
  e.deletionObserved('ns/rs', 'ns/a'); // a late event of the earlier scale down
  assert.equal(e.satisfied('ns/rs'), false);
  e.delete('ns/rs');
  assert.equal(e.satisfied('ns/rs'), true);
  assert.equal(e.get('ns/rs'), undefined);
});
