import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/api.ts';
import { parseRequestTarget } from './request-target.ts';

function refusal(url: string): ApiError {
  try {
    parseRequestTarget(url);
  } catch (err) {
    assert.ok(err instanceof ApiError, `${url}: ${String(err)}`);
    return err;
  }
  assert.fail(`${url} was accepted`);
}

test('parseRequestTarget answers 400 with Go\'s text when a percent-escape is malformed', () => {
  for (const [url, escape] of [
    ['/api/v1/namespaces/default/pods/%E0%A4%A/exec', '%A/'],
    ['/api/v1/namespaces/default/pods/%', '%'],
    ['/api/v1/namespaces/%zz/pods', '%zz'],
  ]) {
    const err = refusal(url);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    assert.equal(err.message, `invalid URL escape ${JSON.stringify(escape)}`);
  }
});

test('parseRequestTarget answers 404 when a segment is . or .., however it is encoded', () => {
  for (const url of [
    '/api/v1/namespaces/kube-system/../default/pods',
    '/api/v1/namespaces/a/%2e%2e/b/pods',
    '/api/v1/namespaces/a/%2E%2e/b/pods',
    '/api/v1/./pods',
    '/api/v1/namespaces/default/pods/%2e',
  ]) {
    const err = refusal(url);
    assert.equal(err.code, 404, url);
    assert.equal(err.message, 'the server could not find the requested resource');
  }
});

test('parseRequestTarget decodes the path before splitting it, as Go does', () => {
  const t = parseRequestTarget('/api/v1/namespaces/default/configmaps/a%2Fb?labelSelector=app%3Dweb&watch=1');
  assert.deepEqual(t.segments, ['api', 'v1', 'namespaces', 'default', 'configmaps', 'a', 'b']);
  assert.equal(t.query.get('labelSelector'), 'app=web');
  assert.equal(t.query.get('watch'), '1');
});

test('parseRequestTarget turns escapes of invalid UTF-8 into U+FFFD instead of throwing', () => {
  const t = parseRequestTarget('/api/v1/namespaces/default/pods/%E0%A4');
  assert.equal(t.segments.at(-1), '\uFFFD');
});

test('parseRequestTarget reads the path of an absolute-form target', () => {
  const t = parseRequestTarget('https://127.0.0.1:6443/api/v1/pods?limit=1');
  assert.equal(t.path, '/api/v1/pods');
  assert.equal(t.query.get('limit'), '1');
});
