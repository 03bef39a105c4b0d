import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { reconcileBootstrapPolicy } from '../../auth/rbac/reconcile.ts';
import { controllerFixture } from '../controller-fixture.ts';
import { aggregatedRules } from './aggregated-rules.ts';
import { clusterRoleAggregationController } from './clusterrole-aggregation.ts';

const role = (name: string, labels: Record<string, string>, rules: ClusterRole['rules']): ClusterRole => ({ metadata: { name, labels }, rules });

test('aggregated rules are the union over selectors, roles by name, each rule once, the role itself skipped', () => {
  const agg: ClusterRole = {
    metadata: { name: 'agg', labels: { a: 'true' } },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'true' } }, { matchLabels: { b: 'true' } }] },
    rules: [{ apiGroups: ['x'], resources: ['self'], verbs: ['get'] }],
  };
  const all = [
    agg,
    role('z', { a: 'true' }, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
    role('m', { a: 'true' }, [{ apiGroups: [''], resources: ['services'], verbs: ['get'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
    role('b1', { b: 'true' }, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: [] }, { nonResourceURLs: ['/x'], verbs: ['get'] }]),
    role('other', {}, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
  ];
  assert.deepEqual(aggregatedRules(agg, all), [
    { apiGroups: [''], resources: ['services'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    { nonResourceURLs: ['/x'], verbs: ['get'] },
  ]);
  assert.equal(aggregatedRules(role('plain', {}, []), all), undefined);
});

test('clusterrole-aggregation fills admin, edit and view from the bootstrap aggregate-to roles', async (t) => {
  const f = controllerFixture(t);
  reconcileBootstrapPolicy(f.client);
  await f.run([clusterRoleAggregationController]);
  const get = (n: string) => f.client.resource('clusterroles').get(undefined, n)!;
  const view = get('view').rules!;
  assert.deepEqual(view, get('system:aggregate-to-view').rules);
  const edit = get('edit').rules!;
  // edit = aggregate-to-edit + view (labelled aggregate-to-edit), by name: system:aggregate-to-edit < view.
  assert.deepEqual(edit, [...get('system:aggregate-to-edit').rules!, ...view]);
  const admin = get('admin').rules!;
  assert.deepEqual(admin, [...edit, ...get('system:aggregate-to-admin').rules!]);
  assert.deepEqual(f.logs, []);
});

test('clusterrole-aggregation adds a new aggregate-to-view role to view, edit and admin, and drops it when deleted', async (t) => {
  const f = controllerFixture(t);
  reconcileBootstrapPolicy(f.client);
  await f.run([clusterRoleAggregationController]);
  const roles = f.client.resource('clusterroles');
  const widget = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] };
  roles.create(undefined, role('widgets-view', { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, [widget]));
  await f.clock.settle();
  for (const n of ['view', 'edit', 'admin']) assert.ok(roles.get(undefined, n)!.rules!.some((r) => r.resources?.[0] === 'widgets'), n);
  roles.delete(undefined, 'widgets-view');
  await f.clock.settle();
  for (const n of ['view', 'edit', 'admin']) assert.ok(!roles.get(undefined, n)!.rules!.some((r) => r.resources?.[0] === 'widgets'), n);
});

test('clusterrole-aggregation rebuilds hand-edited aggregated rules on restart', async (t) => {
  const f = controllerFixture(t);
  reconcileBootstrapPolicy(f.client);
  const first = await f.run([clusterRoleAggregationController]);
  first.stop();
  const roles = f.client.resource('clusterroles');
  const view = roles.get(undefined, 'view')!;
  const expected = view.rules;
  roles.update(undefined, { ...view, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
  await f.run([clusterRoleAggregationController]);
  assert.deepEqual(roles.get(undefined, 'view')!.rules, expected);
});
