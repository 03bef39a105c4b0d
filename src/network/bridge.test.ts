import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkFlags } from './bridge.ts';

test('linkFlags reads a link\'s flags from sysfs, and nothing for a link that does not exist', () => {
  const lo = linkFlags('lo');
  assert.ok(lo !== undefined && (lo & 0x1) === 0x1 && (lo & 0x8) === 0x8, `lo is up and a loopback: flags ${lo}`);
  assert.equal(linkFlags('berth-no-such-link'), undefined);
});
