import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthServe } from './local-node.ts';

describe('isBerthServe', () => {
  it('isBerthServe recognises berth serve however it was started', () => {
    assert.equal(isBerthServe(['/work/main/node_modules/.bin/node', '/work/main/src/cli/berth.js', 'serve', '--data-dir', '/d']), true);
    assert.equal(isBerthServe(['/work/main/node_modules/.bin/node', '/work/main/src/cli/berth.ts', 'serve', '--data-dir', '/d']), true);
    assert.equal(isBerthServe(['node', '/work/main/node_modules/.bin/berth', 'serve']), true);
  });

  it('isBerthServe rejects other berth commands and other programs', () => {
    assert.equal(isBerthServe(['node', '/x/src/cli/berth.js', 'play', '-f', 'serve']), false);
    assert.equal(isBerthServe(['/usr/bin/containerd', '--config', 'serve']), false);
    assert.equal(isBerthServe(undefined), false);
  });
});
