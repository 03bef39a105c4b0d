import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerdSocketPath, MAX_UNIX_PATH_BYTES } from './socket-path.ts';

test('containerdSocketPath keeps the socket in the data directory when the path is short enough', () => {
  assert.equal(containerdSocketPath('/var/lib/berth'), '/var/lib/berth/containerd/containerd.sock');
});

test('containerdSocketPath moves a too-long socket to a stable hashed path under /run/berth', () => {
  const dataDir = `/tmp/${'x'.repeat(80)}`;
  const a = containerdSocketPath(dataDir);
  assert.match(a, /^\/run\/berth\/containerd-[0-9a-f]{16}\.sock$/);
  assert.equal(containerdSocketPath(`${dataDir}/`), a, 'same directory, same socket');
  assert.notEqual(containerdSocketPath(`${dataDir}y`), a, 'different directories never share a socket');
});

test('containerdSocketPath never returns a path whose ttrpc sibling exceeds the limit', () => {
  for (let n = 60; n < 120; n++) {
    const p = containerdSocketPath(`/d/${'y'.repeat(n)}`);
    assert.ok(Buffer.byteLength(`${p}.ttrpc`) <= MAX_UNIX_PATH_BYTES, p);
  }
});
