/**
 * Services and cluster DNS on the real node: an init container waits on
 * `nslookup` for a Service that does not exist yet; a client reaches a
 * Service by short name, FQDN and $WEB_SERVICE_HOST through the kernel
 * dataplane; a pod that turns unready leaves the Endpoints and the Service
 * refuses at once; headless answers with pod IPs; NXDOMAIN; NodePort from the
 * host; `port-forward svc/`; and `berth down` removes the dataplane.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthNode, nodeBin, repoRoot, run } from './harness.ts';
import { join } from 'node:path';

const web = `
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: busybox:1.35
    command: ["sh", "-c", "touch /tmp/ready; mkdir -p /www && echo hello from web > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: [{name: http, containerPort: 8080}]
    readinessProbe:
      exec: {command: ["test", "-f", "/tmp/ready"]}
      periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

const waiter = `
apiVersion: v1
kind: Pod
metadata:
  name: waiter
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: init-myservice
    image: busybox:1.35
    command: ["sh", "-c", "until nslookup myservice.default.svc.cluster.local; do echo waiting for myservice; sleep 1; done"]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "echo the app is running; trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

const myservice = `
apiVersion: v1
kind: Service
metadata:
  name: myservice
spec:
  ports: [{protocol: TCP, port: 80, targetPort: 9376}]
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

const httpGet = (host: string) => `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${host} 80`;

function hostGet(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('Services and cluster DNS work on the node as on a cluster', { timeout: 360_000 }, async (t) => {
  const node = await BerthNode.start(t, { serviceNetwork: true });
  const k = node.k.bind(node);
  const apply = async (yaml: string) => {
    const r = await node.kubectl(['apply', '-f', '-'], { input: yaml });
    assert.equal(r.code, 0, r.stderr);
  };

  await t.test('the kubernetes and kube-dns Services exist at their cluster IPs', async () => {
    const out = await k('get', 'svc', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}={.spec.clusterIP} {end}');
    assert.match(out, /default\/kubernetes=10\.96\.0\.1 /);
    assert.match(out, /kube-system\/kube-dns=10\.96\.0\.10 /);
  });

  await t.test('an init container waits on nslookup until the Service is created, then the pod runs', async () => {
    await apply(waiter);
    await node.waitForJsonpath('pod/waiter', '{.status.initContainerStatuses[0].state.running.startedAt}', (v) => v !== '', 60_000);
    const logs = await node.waitForJsonpath('pod/waiter', '{.status.phase}', (v) => v === 'Pending');
    assert.equal(logs, 'Pending');
    await sleep(2500);
    const waiting = await k('logs', 'waiter', '-c', 'init-myservice');
    assert.match(waiting, /waiting for myservice/);
    assert.match(waiting, /NXDOMAIN/);
    await apply(myservice);
    await node.waitForJsonpath('pod/waiter', '{.status.phase}', (v) => v === 'Running', 30_000);
    assert.match(await k('logs', 'waiter', '-c', 'init-myservice'), /Name:\s+myservice\.default\.svc\.cluster\.local/);
  });

  await t.test('a client reaches a Service by short name, FQDN and $WEB_SERVICE_HOST', async () => {
    await apply(web);
    await node.waitForJsonpath('pod/web', '{.status.conditions[?(@.type=="Ready")].status}', (v) => v === 'True', 60_000);
    await apply(client);
    await node.waitForJsonpath('pod/client', '{.status.phase}', (v) => v === 'Running', 60_000);
    const resolv = await k('exec', 'client', '--', 'cat', '/etc/resolv.conf');
    assert.match(resolv, /^nameserver 10\.96\.0\.10$/m);
    assert.match(resolv, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/m);
    assert.match(resolv, /^options ndots:5$/m);
    for (const target of ['web', 'web.default.svc.cluster.local', '$WEB_SERVICE_HOST']) {
      const out = await k('exec', 'client', '--', 'sh', '-c', httpGet(target));
      assert.match(out, /hello from web/, target);
    }
    const env = await k('exec', 'client', '--', 'sh', '-c', 'echo $WEB_SERVICE_HOST $WEB_SERVICE_PORT $KUBERNETES_SERVICE_HOST $KUBERNETES_SERVICE_PORT');
    const svcIP = await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}');
    assert.equal(env.trim(), `${svcIP} 80 10.96.0.1 443`);
    // A pod reaching itself through its own Service (hairpin).
    assert.match(await k('exec', 'web', '--', 'sh', '-c', httpGet(svcIP)), /hello from web/);
  });

  await t.test('a pod whose readiness fails leaves the Endpoints and the Service refuses at once', async () => {
    await k('exec', 'web', '--', 'rm', '/tmp/ready');
    await node.waitForJsonpath('endpoints/web', '{.subsets[0].notReadyAddresses[0].ip}', (v) => v !== '', 30_000);
    await sleep(1500);
    const started = Date.now();
    const r = await node.kubectl(['exec', 'client', '--', 'sh', '-c', httpGet('web')]);
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout, /hello/);
    assert.ok(Date.now() - started < 3000, `refused after ${Date.now() - started} ms`);
    await k('exec', 'web', '--', 'touch', '/tmp/ready');
    await node.waitForJsonpath('endpoints/web', '{.subsets[0].addresses[0].ip}', (v) => v !== '', 30_000);
  });

  await t.test('a headless Service answers with pod IPs, and an unknown name is NXDOMAIN', async () => {
    await apply('apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n');
    const podIP = await k('get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}');
    await node.waitForJsonpath('endpointslices', '{.items[*].endpoints[*].addresses[0]}', (v) => v.includes(podIP), 30_000);
    const out = await k('exec', 'client', '--', 'nslookup', 'db.default.svc.cluster.local');
    assert.match(out, new RegExp(`Address: ${podIP.replaceAll('.', '\\.')}`));
    const missing = await node.kubectl(['exec', 'client', '--', 'nslookup', 'nothere.default.svc.cluster.local']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stdout + missing.stderr, /NXDOMAIN/);
  });

  await t.test('a NodePort answers on the host, and port-forward svc/ reaches the pod', async () => {
    await k('expose', 'pod', 'web', '--name', 'web-np', '--type', 'NodePort', '--port', '80', '--target-port', '8080');
    const nodePort = Number(await k('get', 'svc', 'web-np', '-o', 'jsonpath={.spec.ports[0].nodePort}'));
    assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
    let body = '';
    for (let i = 0; i < 20 && !body.includes('hello'); i++) {
      body = await hostGet(nodePort).catch(() => '');
      if (!body) await sleep(250);
    }
    assert.match(body, /hello from web/);
    assert.match(await hostGet(nodePort, '10.244.0.1'), /hello from web/);
    const local = await freePort();
    const pf = node.watch(['port-forward', 'svc/web', `${local}:80`]);
    await pf.waitFor(/Forwarding from/);
    assert.match(await hostGet(local), /hello from web/);
    await pf.stop();
  });

  await t.test('berth down removes the Service dataplane', async () => {
    const down = await run(nodeBin, [join(repoRoot, 'src/cli/berth.js'), 'down', '--data-dir', node.dataDir], { timeoutMs: 120_000 });
    assert.equal(down.code, 0, down.stderr);
    let holder: { pid: number } | undefined;
    try {
      holder = JSON.parse(readFileSync('/run/berth/service-network.lease', 'utf8'));
    } catch {
      holder = undefined;
    }
    // Another test's node may have taken the lease (and written its own rules) since.
    if (!holder) assert.match(down.stderr + down.stdout, /removed the Service dataplane/);
  });
});
