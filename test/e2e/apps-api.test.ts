/**
 * The apps/v1 API through the real kubectl, as on a v1.33 cluster:
 * `create deployment` (a protobuf body), the Table columns of `get
 * deploy,rs,ds` (and `-o wide`), the scale subresource (`kubectl scale`,
 * `get --raw …/scale`, `--subresource=scale`, an invalid Scale), `set image`
 * (a strategic merge of the pod template), discovery (`api-resources`,
 * `explain`). This suite does not depend on the Deployment, ReplicaSet or
 * DaemonSet controllers: it checks only what the API server stores and prints,
 * and at the end deletes the workloads and waits for any pods they made to go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { applyText, kubectlUntil } from './kubectl-fixtures.ts';

const workloads = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: x
spec:
  replicas: 2
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: x}
    spec:
      containers:
      - name: c
        image: busybox:1.35
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      # No node has this label: the DaemonSet controller starts no pod here.
      nodeSelector: {disk: ssd}
      containers:
      - name: agent
        image: busybox:1.35
`;

test('kubectl drives Deployments, ReplicaSets and DaemonSets through the apps/v1 API', async (t) => {
  const node = await BerthNode.start(t);

  await t.test('kubectl create deployment (protobuf) stores the command, port and replicas it sent', async () => {
    assert.equal(await node.k('create', 'deployment', 'web', '--image=busybox:1.35', '--replicas=2', '--port=80', '--', 'sleep', '3600'), 'deployment.apps/web created\n');
    const spec = await node.k(
      'get', 'deploy', 'web', '-o',
      'jsonpath={.spec.replicas}|{.spec.selector.matchLabels.app}|{.spec.template.spec.containers[0].image}|{.spec.template.spec.containers[0].command}|{.spec.template.spec.containers[0].ports[0].containerPort}',
    );
    assert.equal(spec, '2|web|busybox:1.35|["sleep","3600"]|80');
  });

  await t.test('kubectl get deploy,rs,ds prints printDeployment, printReplicaSet and printDaemonSet columns', async () => {
    assert.equal(await applyText(node, workloads), 'replicaset.apps/x created\ndaemonset.apps/agent created\n');
    const out = await node.k('get', 'deploy,rs,ds');
    assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/web\s+\d\/2\s+\d+\s+\d+\s+\d+s\n/);
    assert.match(out, /\n\nNAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\n(?:.*\n)*replicaset\.apps\/x\s+2\s+\d+\s+\d+\s+\d+s\n/);
    assert.match(out, /\n\nNAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\ndaemonset\.apps\/agent\s+0\s+0\s+0\s+0\s+0\s+disk=ssd\s+\d+s\n$/);
  });

  await t.test('kubectl get -o wide adds CONTAINERS, IMAGES and SELECTOR', async () => {
    assert.match(
      await node.k('get', 'deploy', 'web', '-o', 'wide'),
      /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+\d\/2\s+\d+\s+\d+\s+\d+s\s+busybox\s+busybox:1\.35\s+app=web\n$/,
    );
    assert.match(await node.k('get', 'rs', 'x', '-o', 'wide'), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nx\s+2\s+\d+\s+\d+\s+\d+s\s+c\s+busybox:1\.35\s+app=x\n$/);
    assert.match(
      await node.k('get', 'ds', 'agent', '-o', 'wide'),
      /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nagent\s+.*\s+agent\s+busybox:1\.35\s+app=agent\n$/,
    );
  });

  await t.test('kubectl scale writes spec.replicas through the scale subresource', async () => {
    assert.equal(await node.k('scale', 'deploy/web', '--replicas=3'), 'deployment.apps/web scaled\n');
    assert.equal(await node.k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'), '3');
    assert.equal(await node.k('scale', 'rs/x', '--replicas=0'), 'replicaset.apps/x scaled\n');
    assert.equal(await node.k('get', 'rs', 'x', '-o', 'jsonpath={.spec.replicas}'), '0');
    // --current-replicas makes kubectl GET the Scale and PUT it back with its resourceVersion.
    assert.equal(await node.k('scale', 'deploy/web', '--current-replicas=3', '--replicas=1'), 'deployment.apps/web scaled\n');
    const stale = await node.kubectl(['scale', 'deploy/web', '--current-replicas=3', '--replicas=2']);
    assert.notEqual(stale.code, 0);
    assert.match(stale.stderr, /Expected replicas to be 3, was 1/);
  });

  await t.test('GET …/scale answers the autoscaling/v1 Scale of the deployment', async () => {
    const scale = JSON.parse(await node.k('get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale'));
    const uid = await node.k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}');
    const rv = await node.k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.deepEqual([scale.metadata.name, scale.metadata.namespace, scale.metadata.uid, scale.metadata.resourceVersion], ['web', 'default', uid, rv]);
    assert.deepEqual(scale.spec, { replicas: 1 });
    assert.equal(scale.status.selector, 'app=web');
    assert.match(await node.k('get', 'deploy', 'web', '--subresource=scale'), /^NAME\s+DESIRED\s+AVAILABLE\nweb\s+1\s+\d+\n$/);
  });

  await t.test('a Scale with negative replicas is refused with kube-apiserver text', async () => {
    const bad = await node.kubectl(['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stderr, 'The Scale "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
    assert.equal(await node.k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'), '1');
  });

  await t.test('kubectl set image merges the container by name', async () => {
    assert.equal(await node.k('set', 'image', 'deploy/web', 'busybox=busybox:1.36'), 'deployment.apps/web image updated\n');
    assert.equal(await node.k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}|{.spec.template.spec.containers[0].command}'), 'busybox:1.36|["sleep","3600"]');
  });

  await t.test('discovery: api-resources lists the apps kinds with short names, explain reads their schema', async () => {
    const resources = await node.k('api-resources', '--api-group=apps');
    assert.match(resources, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\n/);
    assert.match(resources, /\ncontrollerrevisions\s+apps\/v1\s+true\s+ControllerRevision\n/);
    assert.match(resources, /\ndaemonsets\s+ds\s+apps\/v1\s+true\s+DaemonSet\n/);
    assert.match(resources, /\ndeployments\s+deploy\s+apps\/v1\s+true\s+Deployment\n/);
    assert.match(resources, /\nreplicasets\s+rs\s+apps\/v1\s+true\s+ReplicaSet\n/);
    const explain = await node.k('explain', 'deployment.spec.strategy');
    assert.match(explain, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: strategy <DeploymentStrategy>\n/);
    assert.match(explain, /\n {2}rollingUpdate\t<RollingUpdateDeployment>\n/);
    assert.match(explain, /\n {2}type\t<string>\n/);
  });

  await t.test('deleting the workloads leaves no pods behind', async () => {
    await node.k('delete', 'deploy,rs,ds', '--all', '--wait=true');
    // Pods a ReplicaSet controller may have made are deleted by the garbage collector, then by the node.
    const left = await kubectlUntil(node, ['get', 'pods', '-o', 'name'], (r) => r.code === 0 && r.stdout === '', 90_000);
    assert.equal(left.stdout, '');
  });
});
