/**
 * Strategy warnings reach clients as `Warning:` headers: a pod create answers
 * with GetWarningsForPod's texts, after any unknown-field warnings.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type Call } from './api-server-fixture.ts';

async function startServer(t: TestContext): Promise<Call> {
  return (await startApiServer(t)).call;
}


const pod = (extra: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: -5, containers: [{ name: 'c', image: 'busybox:1.35' }], ...JSON.parse(extra) } });

test('apiserver sends the pod strategy warnings of a create as Warning headers', async (t) => {
  const call = await startServer(t);
  const created = await call('POST', '/api/v1/namespaces/default/pods?fieldValidation=Warn', pod('{"bogus": 1}'));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  // Node's client joins repeated headers with ", ".
  assert.equal(
    created.warnings.join(', '),
    '299 - "unknown field \\"spec.bogus\\"", 299 - "spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"',
  );
  const replaced = await call('PUT', '/api/v1/namespaces/default/pods/p', JSON.stringify({ ...created.body, metadata: { ...created.body.metadata, labels: { a: 'b' } } }));
  assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
  assert.deepEqual(replaced.warnings, [], 'pods warn on create only');
});

test('apiserver sends a workload\'s template warnings on update and patch when its spec changes, and none for status writes', async (t) => {
  const call = await startServer(t);
  const deploy = (grace: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: grace, containers: [{ name: 'c', image: 'busybox:1.35' }] } },
    },
  });
  const created = await call('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.stringify(deploy(5)));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.warnings, []);
  const warning = '299 - "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"';
  const replaced = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', JSON.stringify(deploy(-3)));
  assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
  assert.equal(replaced.warnings.join(', '), warning);
  const patched = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', JSON.stringify({ spec: { replicas: 2 } }), 'application/merge-patch+json');
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.warnings.join(', '), warning);
  const status = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web/status', JSON.stringify({ ...patched.body, status: { replicas: 0 } }));
  assert.equal(status.status, 200, JSON.stringify(status.body));
  assert.deepEqual(status.warnings, []);
});
