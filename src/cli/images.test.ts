import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanSize, imageRows } from './images.ts';

describe('images output', () => {
  it('humanSize prints decimal units as crictl does', () => {
    assert.equal(humanSize(512), '512B');
    assert.equal(humanSize(1_234_567), '1.23MB');
    assert.equal(humanSize(45_600_000), '45.6MB');
  });

  it('imageRows prints one row per tag, and untagged images by repository', () => {
    const rows = imageRows([
      { id: 'sha256:0123456789abcdef0123', repoTags: ['docker.io/library/busybox:1.35'], repoDigests: [], size: 1_000_000 },
      { id: 'sha256:fedcba9876543210fedc', repoTags: [], repoDigests: ['localhost:5000/app@sha256:aa'], size: 2_000 },
    ]);
    assert.deepEqual(rows, [
      ['docker.io/library/busybox', '1.35', '0123456789abc', '1MB'],
      ['localhost:5000/app', '<none>', 'fedcba9876543', '2kB'],
    ]);
  });
});
