/**
 * Authentication, impersonation and authorization through the real
 * kubectl, as on a v1.33 cluster: the node's admin token is
 * kubernetes-admin in system:masters (`kubectl auth whoami`), `--as` and
 * `--as-group` impersonate (SelfSubjectReview sees the impersonated user),
 * a user without grants gets kube-apiserver's exact Forbidden text — also
 * on watch, logs and exec — while `kubectl auth can-i` answers what the API
 * then does, a forged token is 401, and /version and /readyz stay readable
 * without a token. No token appears in berth's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BerthNode } from './harness.ts';
import { applyText, quickPod } from './kubectl-fixtures.ts';

test('kubectl authenticates, impersonates and is authorized as on a cluster', async (t) => {
  const node = await BerthNode.start(t);
  const adminToken: string = parseYaml(readFileSync(node.kubeconfig, 'utf8')).users[0].user.token;
  const forged = 'forged-token-0123456789';

  await t.test('kubectl auth whoami names the admin user and its groups', async () => {
    assert.equal(await node.k('auth', 'whoami'), 'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n');
  });

  await t.test('kubectl auth whoami --as --as-group answers the impersonated user', async () => {
    assert.equal(await node.k('auth', 'whoami', '--as=jane', '--as-group=devs'), 'ATTRIBUTE   VALUE\nUsername    jane\nGroups      [devs system:authenticated]\n');
    assert.match(await node.k('auth', 'whoami', '--as=system:serviceaccount:default:robot', '-o', 'json'), /"groups": \[\s*"system:serviceaccounts",\s*"system:serviceaccounts:default",\s*"system:authenticated"\s*\]/);
  });

  await t.test('a user without grants is refused with the exact Forbidden text', async () => {
    await applyText(node, quickPod('auth-web'));
    const cases: Array<[string[], string]> = [
      [['get', 'pods', '--as=jane'], 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n'],
      [['get', 'pods', '-A', '--as=jane'], 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope\n'],
      [['get', 'pod', 'auth-web', '--as=jane'], 'Error from server (Forbidden): pods "auth-web" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"\n'],
      [['get', '--raw', '/api/v1/namespaces/default/pods/auth-web/log', '--as=jane'], 'Error from server (Forbidden): pods "auth-web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"\n'],
      [['logs', 'auth-web', '--as=jane'], 'Error from server (Forbidden): pods "auth-web" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"\n'],
      [['get', 'deployments.apps', '--as=jane', '--as-group=devs'], 'Error from server (Forbidden): deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" in the namespace "default"\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await node.kubectl(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, stderr, args.join(' '));
    }
    // A watch is authorized as a watch.
    const w = await node.kubectl(['get', 'pods', '--as=jane', '--watch-only', '--request-timeout=5s']);
    assert.equal(w.code, 1);
    assert.match(w.stderr, /pods is forbidden: User "jane" cannot (list|watch) resource "pods" in API group "" in the namespace "default"/);
  });

  await t.test('a SubjectAccessReview asks the authorizer about another user', async () => {
    const review = (user: string, groups: string[]) =>
      node.kubectl(['create', '-f', '-', '-o', 'jsonpath={.status.allowed}'], {
        input: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user, groups, resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } } }),
      });
    const jane = await review('jane', ['devs']);
    assert.equal(jane.stdout, 'false', jane.stderr);
    const master = await review('root', ['system:masters']);
    assert.equal(master.stdout, 'true', master.stderr);
  });

  await t.test('kubectl auth can-i answers what the API then does', async () => {
    assert.equal(await node.k('auth', 'can-i', 'list', 'pods'), 'yes\n');
    const no = await node.kubectl(['auth', 'can-i', 'list', 'pods', '--as=jane']);
    assert.equal(no.code, 1);
    assert.equal(no.stdout, 'no\n');
    assert.equal(await node.k('auth', 'can-i', 'create', 'selfsubjectaccessreviews.authorization.k8s.io', '--as=jane'), 'yes\n');
    const mine = await node.k('auth', 'can-i', '--list');
    assert.match(mine, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n/);
    assert.match(mine, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    assert.match(await node.k('auth', 'can-i', '--list', '--as=jane'), /selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  });

  await t.test('a forged token is 401 with the Unauthorized text', async () => {
    const r = await node.kubectl(['--token', forged, 'get', 'pods']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
    const raw = await node.rawRequest('/version', { token: forged });
    assert.equal(raw.status, 401);
    assert.ok(!raw.body.includes(forged));
  });

  await t.test('/version and /readyz answer without a token; the API does not', async () => {
    assert.equal((await node.rawRequest('/version', { token: null })).status, 200);
    assert.equal((await node.rawRequest('/readyz', { token: null })).status, 200);
    assert.equal((await node.rawRequest('/api/v1/pods', { token: null })).status, 401);
  });

  await t.test('no token appears in berth output', () => {
    const out = node.output.join('\n');
    assert.ok(!out.includes(adminToken));
    assert.ok(!out.includes(forged));
  });
});
