/**
 * StatefulSets on the real node with cluster DNS: a 2-replica set behind a
 * headless Service starts web-0 before web-1 (web-1 is created only once
 * web-0 is Ready), `kubectl rollout status` reports it done, each pod
 * resolves as `<pod>.<service>.<ns>.svc.cluster.local`, `kubectl get sts`
 * has the cluster's columns, `kubectl set env` rolls the pods from the
 * highest ordinal down and `rollout undo` goes back by revision, and
 * `kubectl scale` removes the highest ordinal; a set with
 * volumeClaimTemplates gets a bound claim per pod (local-path provisioner)
 * whose data outlives the pod, and its claims outlive the set unless the
 * retention policy says Delete.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';

const manifests = `
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: busybox:1.35
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe:
          tcpSocket: {port: 8080}
          periodSeconds: 1
`;

const db = `
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: db
        image: busybox:1.35
        command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 16Mi}
`;

const client = `
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

test('a StatefulSet starts its pods in order, resolves them by name and scales down from the top', { timeout: 420_000 }, async (t) => {
  const node = await BerthNode.start(t, { serviceNetwork: true });
  const k = node.k.bind(node);
  const apply = async (yaml: string) => {
    const r = await node.kubectl(['apply', '-f', '-'], { input: yaml });
    assert.equal(r.code, 0, r.stderr);
  };

  await t.test('web-0 is Running and Ready before web-1 is created, and rollout status reports the set done', async () => {
    await apply(manifests);
    const status = await node.kubectl(['rollout', 'status', 'sts/web', '--timeout=180s'], { timeoutMs: 200_000 });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /partitioned roll out complete: 2 new pods have been updated\.\.\./);
    const ready0 = await k('get', 'pod', 'web-0', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].lastTransitionTime}');
    const created1 = await k('get', 'pod', 'web-1', '-o', 'jsonpath={.metadata.creationTimestamp}');
    assert.ok(Date.parse(ready0) <= Date.parse(created1), `web-0 ready at ${ready0}, web-1 created at ${created1}`);
    const events = await k('get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet,involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}|{end}');
    assert.match(events, /SuccessfulCreate:create Pod web-0 in StatefulSet web successful\|/);
    assert.match(events, /SuccessfulCreate:create Pod web-1 in StatefulSet web successful\|/);
    const labels = await k('get', 'pod', 'web-1', '-o', 'jsonpath={.metadata.labels.statefulset\\.kubernetes\\.io/pod-name} {.metadata.labels.apps\\.kubernetes\\.io/pod-index} {.spec.hostname} {.spec.subdomain}');
    assert.equal(labels, 'web-1 1 web-1 web');
  });

  await t.test('kubectl get sts has NAME READY AGE, and -o wide the containers and images', async () => {
    const out = await k('get', 'sts');
    assert.match(out, /^NAME\s+READY\s+AGE\s*$/m);
    assert.match(out, /^web\s+2\/2\s+\S+\s*$/m);
    const wide = await k('get', 'sts', '-o', 'wide');
    assert.match(wide, /^NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s*$/m);
    assert.match(wide, /^web\s+2\/2\s+\S+\s+web\s+busybox:1\.35\s*$/m);
    const revisions = await k('get', 'controllerrevisions', '-o', 'jsonpath={.items[*].metadata.name}');
    const current = await k('get', 'sts', 'web', '-o', 'jsonpath={.status.currentRevision}');
    assert.equal(revisions, current);
  });

  await t.test('web-0.web.default.svc.cluster.local resolves to web-0 from another pod', async () => {
    await apply(client);
    await node.waitForJsonpath('pod/client', '{.status.phase}', (v) => v === 'Running', 60_000);
    const ip0 = await k('get', 'pod', 'web-0', '-o', 'jsonpath={.status.podIP}');
    const ip1 = await k('get', 'pod', 'web-1', '-o', 'jsonpath={.status.podIP}');
    await node.waitForJsonpath('endpointslices', '{.items[*].endpoints[*].hostname}', (v) => v.includes('web-0') && v.includes('web-1'), 30_000);
    const out = await k('exec', 'client', '--', 'nslookup', 'web-0.web.default.svc.cluster.local');
    assert.match(out, new RegExp(`Address: ${ip0.replaceAll('.', '\\.')}\\b`));
    assert.doesNotMatch(out, new RegExp(`Address: ${ip1.replaceAll('.', '\\.')}\\b`));
    // The pod's own hostname is its name, and its page says so through the stable DNS name.
    const page = await k('exec', 'client', '--', 'sh', '-c', "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 web-1.web 8080");
    assert.match(page, /^web-1$/m);
  });

  await t.test('kubectl set env rolls web-1 before web-0, and rollout history and undo use the revisions', async () => {
    const uids = async () => (await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.uid} {end}')).trim();
    const before = await uids();
    await k('set', 'env', 'sts/web', 'MODE=v2');
    const status = await node.kubectl(['rollout', 'status', 'sts/web', '--timeout=180s'], { timeoutMs: 200_000 });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /partitioned roll out complete: 2 new pods have been updated\.\.\./);
    const envs = await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].env[0].value} {end}');
    assert.equal(envs.trim(), 'web-0=v2 web-1=v2');
    assert.notEqual(await uids(), before);
    const created0 = Date.parse(await k('get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.creationTimestamp}'));
    const ready1 = Date.parse(await k('get', 'pod', 'web-1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].lastTransitionTime}'));
    assert.ok(ready1 <= created0, 'web-1 was replaced and ready before web-0 was replaced');
    const events = await k('get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet,involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}|{end}');
    assert.match(events, /SuccessfulDelete:delete Pod web-1 in StatefulSet web successful\|/);
    const history = await k('rollout', 'history', 'sts/web');
    assert.match(history, /^REVISION\s+CHANGE-CAUSE\s*$/m);
    assert.match(history, /^1\s+<none>\s*$/m);
    assert.match(history, /^2\s+<none>\s*$/m);
    await k('rollout', 'undo', 'sts/web');
    const undone = await node.kubectl(['rollout', 'status', 'sts/web', '--timeout=180s'], { timeoutMs: 200_000 });
    assert.equal(undone.code, 0, undone.stderr);
    assert.equal(await k('get', 'sts', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].env}'), '');
    await node.waitForJsonpath('pods', '{.items[*].spec.containers[0].env}', (v) => v.trim() === '', 60_000);
    const revisions = await k('get', 'controllerrevisions', '-o', 'jsonpath={range .items[*]}{.revision} {end}');
    assert.deepEqual(revisions.trim().split(' ').sort(), ['2', '3'], 'the first revision is renumbered, not copied');
  });

  await t.test('kubectl scale sts/web --replicas=1 removes web-1 and keeps web-0', async () => {
    const uid0 = await k('get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}');
    await k('scale', 'sts/web', '--replicas=1');
    await node.waitForJsonpath('pods', '{.items[*].metadata.name}', (v) => !v.split(' ').includes('web-1'), 60_000);
    await node.waitForJsonpath('sts/web', '{.status.replicas}/{.status.readyReplicas}', (v) => v === '1/1', 30_000);
    assert.equal(await k('get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}'), uid0);
    assert.match(await k('get', 'sts'), /^web\s+1\/1\s+/m);
    const scale = JSON.parse(await k('get', '--raw', '/apis/apps/v1/namespaces/default/statefulsets/web/scale'));
    assert.deepEqual([scale.kind, scale.spec, scale.status], ['Scale', { replicas: 1 }, { replicas: 1, selector: 'app=web' }]);
  });

  await t.test('volumeClaimTemplates: each pod gets a bound claim, data written in db-0 survives deleting the pod, and db-0.db resolves', async () => {
    await apply(db);
    const status = await node.kubectl(['rollout', 'status', 'sts/db', '--timeout=180s'], { timeoutMs: 200_000 });
    assert.equal(status.code, 0, status.stderr);
    const claims = await node.waitForJsonpath('pvc', '{range .items[*]}{.metadata.name}={.status.phase} {end}', (v) => v.trim() === 'data-db-0=Bound data-db-1=Bound', 60_000);
    assert.equal(claims.trim(), 'data-db-0=Bound data-db-1=Bound');
    const volumes = await k('get', 'pod', 'db-1', '-o', 'jsonpath={.spec.volumes[?(@.name=="data")].persistentVolumeClaim.claimName}');
    assert.equal(volumes, 'data-db-1');
    const events = await k('get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet,involvedObject.name=db', '-o', 'jsonpath={range .items[*]}{.message}|{end}');
    assert.match(events, /create Claim data-db-0 Pod db-0 in StatefulSet db success\|/);
    const uid = await k('get', 'pod', 'db-0', '-o', 'jsonpath={.metadata.uid}');
    await k('exec', 'db-0', '--', 'sh', '-c', 'echo kept > /data/marker');
    await k('delete', 'pod', 'db-0', '--wait=true');
    await node.waitForJsonpath('pod/db-0', '{.metadata.uid} {.status.conditions[?(@.type=="Ready")].status}', (v) => !v.startsWith(uid) && v.endsWith('True'), 120_000);
    assert.equal((await k('exec', 'db-0', '--', 'cat', '/data/marker')).trim(), 'kept');
    assert.equal((await node.kubectl(['exec', 'db-1', '--', 'cat', '/data/marker'])).code === 0, false, 'db-1 has its own volume');
    const ip = await k('get', 'pod', 'db-0', '-o', 'jsonpath={.status.podIP}');
    await node.waitForJsonpath('endpointslices', '{.items[*].endpoints[*].hostname}', (v) => v.includes('db-0'), 30_000);
    const out = await k('exec', 'client', '--', 'nslookup', 'db-0.db.default.svc.cluster.local');
    assert.match(out, new RegExp(`Address: ${ip.replaceAll('.', '\\.')}\\b`));
    // The short name `db-0.db` through the pod's resolver search list (busybox nslookup does not search).
    const ping = await node.kubectl(['exec', 'client', '--', 'ping', '-c', '1', '-W', '1', 'db-0.db']);
    assert.match(ping.stdout + ping.stderr, new RegExp(`PING db-0\\.db \\(${ip.replaceAll('.', '\\.')}\\)`));
    // The claims outlive the set (whenDeleted Retain).
    await k('delete', 'sts', 'db', '--wait=true', '--timeout=60s');
    await node.waitForJsonpath('pods', '{.items[*].metadata.name}', (v) => !/\bdb-/.test(v), 60_000);
    assert.equal((await k('get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}')).trim(), 'data-db-0 data-db-1');
  });

  await t.test('persistentVolumeClaimRetentionPolicy Delete: a scaled-away pod takes its claim, and deleting the set takes the rest', async () => {
    const cache = db
      .replaceAll('name: db', 'name: cache')
      .replaceAll('app: db', 'app: cache')
      .replaceAll('serviceName: db', 'serviceName: cache')
      .replace('  replicas: 2\n', '  replicas: 2\n  podManagementPolicy: Parallel\n  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n');
    await apply(cache);
    const status = await node.kubectl(['rollout', 'status', 'sts/cache', '--timeout=180s'], { timeoutMs: 200_000 });
    assert.equal(status.code, 0, status.stderr);
    const owners = await k('get', 'pvc', 'data-cache-0', 'data-cache-1', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.ownerReferences[0].kind} {end}');
    assert.equal(owners.trim(), 'data-cache-0=StatefulSet data-cache-1=StatefulSet');
    await k('scale', 'sts/cache', '--replicas=1');
    await node.waitForJsonpath('pvc', '{.items[*].metadata.name}', (v) => !v.includes('data-cache-1'), 90_000);
    assert.match(await k('get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}'), /data-cache-0/);
    await k('delete', 'sts', 'cache', '--wait=true', '--timeout=60s');
    await node.waitForJsonpath('pvc', '{.items[*].metadata.name}', (v) => !v.includes('data-cache-'), 90_000);
  });

  await t.test('deleting the StatefulSet removes its pods and revisions', async () => {
    await k('delete', 'sts', 'web', '--wait=true', '--timeout=60s');
    await node.waitForJsonpath('pods', '{.items[*].metadata.name}', (v) => !/\bweb-/.test(v), 60_000);
    await node.waitForJsonpath('controllerrevisions', '{.items[*].metadata.name}', (v) => v.trim() === '', 30_000);
  });
});
