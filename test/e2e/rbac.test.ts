/**
 * RBAC through the real kubectl, as on a v1.33 cluster: the bootstrap
 * ClusterRoles and bindings exist at start (admin, edit and view filled by
 * aggregation), `kubectl create role|rolebinding|clusterrole|
 * clusterrolebinding` (protobuf bodies) and `get -o wide` show the
 * cluster's columns, `kubectl auth reconcile` adds missing rules, and a
 * RoleBinding is what turns jane's Forbidden (with RBAC's reason while its
 * Role is missing) into an answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { jsonpathUntil } from './kubectl-fixtures.ts';

test('RBAC kinds, bootstrap policy and authorization through kubectl', async (t) => {
  const node = await BerthNode.start(t);

  await t.test('kubectl get clusterroles lists the bootstrap roles with NAME and CREATED AT', async () => {
    const out = await node.k('get', 'clusterroles');
    assert.match(out, /^NAME\s+CREATED AT\n/);
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:aggregate-to-view']) {
      assert.match(out, new RegExp(`^${name}\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`, 'm'), name);
    }
    const crb = await node.k('get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide');
    assert.match(crb, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\n/);
    assert.match(crb, /^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s*$/m);
  });

  await t.test('kubectl api-resources and explain know the group', async () => {
    const rows = (await node.k('api-resources', '--api-group=rbac.authorization.k8s.io')).trim().split('\n').slice(1).map((l) => l.split(/\s+/).join(' '));
    assert.deepEqual(rows, [
      'clusterrolebindings rbac.authorization.k8s.io/v1 false ClusterRoleBinding',
      'clusterroles rbac.authorization.k8s.io/v1 false ClusterRole',
      'rolebindings rbac.authorization.k8s.io/v1 true RoleBinding',
      'roles rbac.authorization.k8s.io/v1 true Role',
    ]);
    assert.match(await node.k('explain', 'clusterrole.aggregationRule'), /FIELD: aggregationRule <AggregationRule>/);
    assert.match(await node.k('explain', 'rolebinding'), /\n {2}roleRef\t<RoleRef> -required-\n/);
    assert.match(await node.k('explain', 'rolebinding.roleRef'), /\n {2}kind\t<string> -required-\n/);
  });

  await t.test('kubectl describe clusterrole view shows the aggregated rules', async () => {
    await jsonpathUntil(node, ['clusterrole', 'view'], '{.rules[*].resources}', (v) => v.includes('pods'));
    const out = await node.k('describe', 'clusterrole', 'view');
    assert.match(out, /^Name:\s+view$/m);
    assert.match(out, /^Labels:\s+kubernetes\.io\/bootstrapping=rbac-defaults$/m);
    assert.match(out, /^\s+rbac\.authorization\.k8s\.io\/aggregate-to-edit=true$/m);
    assert.match(out, /^Annotations:\s+rbac\.authorization\.kubernetes\.io\/autoupdate: true$/m);
    assert.match(out, /^PolicyRule:\n\s+Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\s+-+\s+-+\s+-+\s+-+\n/m);
    assert.match(out, /^\s+pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.match(out, /^\s+deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.doesNotMatch(out, /^\s+secrets\s/m, 'view does not read secrets');
    const edit = await jsonpathUntil(node, ['clusterrole', 'edit'], '{.rules[*].resources}', (v) => v.includes('secrets'));
    assert.match(edit, /pods\/exec/);
  });

  await t.test('jane is forbidden until a RoleBinding made with kubectl create grants her a Role', async () => {
    const before = await node.kubectl(['get', 'pods', '--as=jane']);
    assert.equal(before.code, 1);
    assert.equal(before.stderr, 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n');
    const no = await node.kubectl(['auth', 'can-i', 'list', 'pods', '--as=jane']);
    assert.equal(no.stdout, 'no\n');

    // Bound to a Role that does not exist yet: the Forbidden text carries RBAC's reason.
    assert.equal(await node.k('create', 'rolebinding', 'jane-reads', '--role=pod-reader', '--user=jane', '--group=devs', '--serviceaccount=default:robot'), 'rolebinding.rbac.authorization.k8s.io/jane-reads created\n');
    const dangling = await node.kubectl(['get', 'pods', '--as=jane']);
    assert.equal(dangling.stderr, 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default": RBAC: role.rbac.authorization.k8s.io "pod-reader" not found\n');
    assert.equal(await node.k('create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods'), 'role.rbac.authorization.k8s.io/pod-reader created\n');
    assert.equal(await node.k('get', 'role', 'pod-reader', '-o', 'jsonpath={.rules}'), '[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]');
    const wide = await node.k('get', 'rolebinding', '-o', 'wide');
    assert.match(wide, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\n/);
    assert.match(wide, /^jane-reads\s+Role\/pod-reader\s+\d+s\s+jane\s+devs\s+default\/robot\n$/m);
    assert.match(await node.k('get', 'roles'), /^NAME\s+CREATED AT\npod-reader\s+\S+Z\n$/);

    const after = await node.kubectl(['get', 'pods', '--as=jane']);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stderr, 'No resources found in default namespace.\n');
    assert.equal(await node.k('auth', 'can-i', 'list', 'pods', '--as=jane'), 'yes\n');
    // SelfSubjectRulesReview lists the Role's rule beside the bootstrap self-review grants.
    const list = await node.k('auth', 'can-i', '--list', '--as=jane');
    assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list\]$/m);
    assert.match(list, /^selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    assert.match(list, /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/m);
    const watch = await node.kubectl(['auth', 'can-i', 'watch', 'pods', '--as=jane']);
    assert.equal(watch.stdout, 'no\n', 'the role grants get and list only');
    const otherNs = await node.kubectl(['get', 'pods', '-n', 'kube-system', '--as=jane']);
    assert.equal(otherNs.code, 1);
    assert.match(otherNs.stderr, /User "jane" cannot list resource "pods" in API group "" in the namespace "kube-system"/);
  });

  await t.test('cluster-wide kinds are created with kubectl and bind a ClusterRole', async () => {
    assert.equal(await node.k('create', 'clusterrole', 'node-reader', '--verb=get,list', '--resource=nodes'), 'clusterrole.rbac.authorization.k8s.io/node-reader created\n');
    assert.equal(await node.k('create', 'clusterrolebinding', 'jane-nodes', '--clusterrole=node-reader', '--user=jane'), 'clusterrolebinding.rbac.authorization.k8s.io/jane-nodes created\n');
    const nodes = await node.kubectl(['get', 'nodes', '--as=jane']);
    assert.equal(nodes.code, 0, nodes.stderr);
    const bad = await node.kubectl(['create', 'rolebinding', 'x', '--clusterrole=view']);
    assert.equal(bad.code, 0, bad.stderr);
    const change = await node.kubectl(['patch', 'rolebinding', 'x', '--type=merge', '-p', '{"roleRef":{"name":"edit"}}']);
    assert.equal(change.code, 1);
    assert.match(change.stderr, /roleRef: Invalid value: rbac\.RoleRef\{APIGroup:"rbac\.authorization\.k8s\.io", Kind:"ClusterRole", Name:"edit"\}: cannot change roleRef/);
  });

  await t.test('kubectl auth reconcile creates a role, then adds the rules it lacks', async () => {
    const manifest = (verbs: string[]) =>
      JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs }] });
    const first = await node.kubectl(['auth', 'reconcile', '-f', '-'], { input: manifest(['get']) });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /role\.rbac\.authorization\.k8s\.io\/cm-reader reconciled/);
    const second = await node.kubectl(['auth', 'reconcile', '-f', '-'], { input: manifest(['get', 'list']) });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /role\.rbac\.authorization\.k8s\.io\/cm-reader reconciled/);
    const rules = JSON.parse(await node.k('get', 'role', 'cm-reader', '-o', 'jsonpath={.rules}'));
    assert.deepEqual(rules, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }, { apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }]);
  });

  await t.test('a user who may create RoleBindings cannot grant itself what it does not hold: escalation is refused, as upstream words it', async () => {
    assert.match(await node.k('create', 'role', 'binder', '--verb=create,get,list,patch', '--resource=rolebindings.rbac.authorization.k8s.io', '-n', 'default'), /role\.rbac\.authorization\.k8s\.io\/binder created/);
    assert.match(await node.k('create', 'rolebinding', 'mallory-binder', '--role=binder', '--user=mallory', '-n', 'default'), /created/);
    const grab = await node.kubectl(['create', 'rolebinding', 'mallory-admin', '--clusterrole=cluster-admin', '--user=mallory', '-n', 'default', '--as=mallory']);
    assert.equal(grab.code, 1, grab.stdout);
    assert.match(
      grab.stderr,
      /rolebindings\.rbac\.authorization\.k8s\.io "mallory-admin" is forbidden: user "mallory" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/,
    );
    assert.equal((await node.kubectl(['get', 'rolebinding', 'mallory-admin', '-n', 'default'])).code, 1, 'nothing stored');
    // The same through server-side apply.
    const applied = await node.kubectl(['apply', '--server-side', '-f', '-', '--as=mallory'], {
      input: JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'mallory-admin', namespace: 'default' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory' }],
      }),
    });
    assert.equal(applied.code, 1, applied.stdout);
    assert.match(applied.stderr, /is attempting to grant RBAC permissions not currently held/);
    assert.equal((await node.kubectl(['auth', 'can-i', 'delete', 'nodes', '--as=mallory'])).stdout, 'no\n');
    // The admin (system:masters) may.
    assert.match(await node.k('create', 'rolebinding', 'mallory-view', '--clusterrole=view', '--user=mallory', '-n', 'default'), /created/);
  });
});
