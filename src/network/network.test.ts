import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inPodNetwork, upstreamsFromEnv } from './network.ts';

test('inPodNetwork accepts addresses of the pod network only', () => {
  assert.equal(inPodNetwork('10.244.3.7', '10.244.0.0/16'), true);
  assert.equal(inPodNetwork('10.245.0.1', '10.244.0.0/16'), false);
  assert.equal(inPodNetwork('192.0.2.2', '10.244.0.0/16'), false);
  assert.equal(inPodNetwork('::1', '10.244.0.0/16'), false);
});

test('upstreamsFromEnv reads host:port lists, an empty value as none, and no value as the host\'s', () => {
  assert.deepEqual(upstreamsFromEnv('127.0.0.1:9, 127.0.0.2'), [{ host: '127.0.0.1', port: 9 }, { host: '127.0.0.2', port: 53 }]);
  assert.deepEqual(upstreamsFromEnv(''), []);
  assert.equal(upstreamsFromEnv(undefined), undefined);
});
