import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templatePatch } from './template-patch.ts';

test('templatePatch writes the replace patch with Go struct defaults and sorted keys', () => {
  const got = templatePatch({ metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  assert.equal(
    got,
    '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"a"}},"spec":{"containers":[{"image":"i","name":"c","resources":{}}]}}}}',
  );
  assert.equal(templatePatch(undefined), '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null},"spec":{"containers":null}}}}');
});
