/**
 * apps/v1 objects through the API server with strict and warning field
 * validation: the unknown-field paths and texts kube-apiserver v1.33 sends
 * (`.spec.template.spec.containers[0].imagee` inside the pod template), and
 * the warnings a valid Deployment create returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer } from '../../apiserver/api-server-fixture.ts';
import { findUnknownFields } from './validation.ts';

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    strategy: { rollingUpdate: { maxSurge: 1, maxUnavalable: 0 } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx', imagee: 'typo' }] } },
    ...extra,
  },
});

test('findUnknownFields walks apps/v1 specs into the pod template', () => {
  assert.deepEqual(findUnknownFields('Deployment', deployment('web', { replica: 3 })), [
    'spec.strategy.rollingUpdate.maxUnavalable',
    'spec.template.spec.containers[0].imagee',
    'spec.replica',
  ]);
  assert.deepEqual(findUnknownFields('DaemonSet', { spec: { updateStrategy: { rollingUpdate: { maxSurge: 0 } }, minReady: 1 } }), ['spec.minReady']);
});

test('a Deployment with unknown fields is refused under fieldValidation=Strict and warned about otherwise', async (t) => {
  const { call } = await startApiServer(t);
  const strict = await call('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict', JSON.stringify(deployment('web')));
  assert.equal(strict.status, 400);
  assert.equal(
    strict.body.message,
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.strategy.rollingUpdate.maxUnavalable", unknown field "spec.template.spec.containers[0].imagee"',
  );
  const warn = await call('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Warn', JSON.stringify(deployment('web')));
  assert.equal(warn.status, 201);
  assert.equal(
    warn.warnings.join(', '),
    '299 - "unknown field \\"spec.strategy.rollingUpdate.maxUnavalable\\"", 299 - "unknown field \\"spec.template.spec.containers[0].imagee\\""',
  );
  assert.equal(warn.body.spec.template.spec.containers[0].imagee, undefined);
});

test('creating an invalid Deployment answers 422 with the causes; a valid one carries the template warnings', async (t) => {
  const { call } = await startApiServer(t);
  const body = deployment('web');
  (body.spec as Record<string, unknown>).strategy = { type: 'Recreate', rollingUpdate: {} };
  (body.spec.template.spec.containers[0] as Record<string, unknown>).imagee = undefined;
  const invalid = await call('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.stringify(body));
  assert.equal(invalid.status, 422);
  assert.equal(invalid.body.message, "Deployment.apps \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
  assert.deepEqual(invalid.body.details, {
    name: 'web',
    group: 'apps',
    kind: 'Deployment',
    causes: [{ reason: 'FieldValueForbidden', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'", field: 'spec.strategy.rollingUpdate' }],
  });
  const dotted = deployment('web.v2');
  delete (dotted.spec.template.spec.containers[0] as Record<string, unknown>).imagee;
  (dotted.spec as Record<string, unknown>).strategy = {};
  const created = await call('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.stringify(dotted));
  assert.equal(created.status, 201);
  assert.deepEqual(created.warnings, [
    '299 - "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"',
  ]);
});
