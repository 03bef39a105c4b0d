/**
 * Services, Endpoints and EndpointSlices through the real kubectl, as on a
 * v1.33 cluster: `create service` (protobuf bodies), `expose`, `apply` of a
 * NodePort and a headless Service, the Table columns of `get svc` (and
 * `-o wide`), LoadBalancer `<pending>`, kube-apiserver's 422 texts for an
 * invalid Service, a changed cluster IP and taken IPs and node ports (with
 * nothing stored), `describe`, discovery (`api-resources`, `explain`), the
 * v1 Endpoints deprecation warning, and a deleted Service taking its
 * Endpoints along. This suite does not depend on the endpoints
 * controllers: the objects it lists are ones it writes and labels itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { applyText, quickPod } from './kubectl-fixtures.ts';

/** An address of 10.96.0.0/12. */
const serviceIP = String.raw`10\.(?:9[6-9]|10\d|11[01])\.\d{1,3}\.\d{1,3}`;

test('kubectl drives Services, Endpoints and EndpointSlices as on a cluster', async (t) => {
  const node = await BerthNode.start(t);

  await t.test('kubectl create service clusterip allocates a cluster IP and get svc prints printService columns', async () => {
    assert.equal(await node.k('create', 'service', 'clusterip', 'web', '--tcp=80:8080'), 'service/web created\n');
    assert.match(await node.k('get', 'svc', 'web'), new RegExp(String.raw`^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nweb\s+ClusterIP\s+${serviceIP}\s+<none>\s+80/TCP\s+\d+s\n$`));
    assert.match(await node.k('get', 'svc', 'web', '-o', 'wide'), /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\nweb\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP\s+\d+s\s+app=web\n$/);
    const fields = await node.k(
      'get', 'svc', 'web', '-o',
      'jsonpath={.spec.clusterIP}|{.spec.clusterIPs[0]}|{.spec.ipFamilies}|{.spec.ipFamilyPolicy}|{.spec.sessionAffinity}|{.spec.internalTrafficPolicy}|{.spec.ports[0].targetPort}|{.status}',
    );
    const [ip, ip0, ...rest] = fields.split('|');
    assert.equal(ip, ip0);
    assert.deepEqual(rest, ['["IPv4"]', 'SingleStack', 'None', 'Cluster', '8080', '{"loadBalancer":{}}']);
  });

  await t.test('kubectl expose pod makes a Service selecting the pod by its labels', async () => {
    await applyText(node, quickPod('shop-1', { labels: { app: 'shop', tier: 'front' } }));
    assert.equal(await node.k('expose', 'pod', 'shop-1', '--port=80', '--target-port=8080', '--name=shop'), 'service/shop exposed\n');
    assert.match(await node.k('get', 'svc', 'shop', '-o', 'wide'), /\nshop\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP\s+\d+s\s+app=shop,tier=front\n$/);
  });

  await t.test('kubectl apply of a NodePort and a headless Service, then again unchanged and with a changed port', async () => {
    const manifest = `apiVersion: v1
kind: Service
metadata:
  name: np
spec:
  type: NodePort
  selector:
    app: shop
  ports:
  - name: http
    port: 80
    targetPort: 8080
    nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: headless
spec:
  clusterIP: None
  selector:
    app: shop
  ports:
  - port: 80
`;
    assert.equal(await applyText(node, manifest), 'service/np created\nservice/headless created\n');
    assert.equal(await applyText(node, manifest), 'service/np unchanged\nservice/headless unchanged\n');
    const out = await node.k('get', 'svc', 'np', 'headless');
    assert.match(out, /\nnp\s+NodePort\s+\S+\s+<none>\s+80:30080\/TCP\s+\d+s\n/);
    assert.match(out, /\nheadless\s+ClusterIP\s+None\s+<none>\s+80\/TCP\s+\d+s\n/);
    // Strategic merge by port: the node port and the cluster IP stay.
    assert.equal(await applyText(node, manifest.replace('targetPort: 8080', 'targetPort: 9090')), 'service/np configured\nservice/headless unchanged\n');
    assert.equal(await node.k('get', 'svc', 'np', '-o', 'jsonpath={.spec.ports[0].nodePort}/{.spec.ports[0].targetPort}'), '30080/9090');
  });

  await t.test('a LoadBalancer gets node ports and stays <pending>, as on kind', async () => {
    assert.equal(await node.k('create', 'service', 'loadbalancer', 'lb', '--tcp=443'), 'service/lb created\n');
    assert.match(await node.k('get', 'svc', 'lb'), /\nlb\s+LoadBalancer\s+\S+\s+<pending>\s+443:3\d{4}\/TCP\s+\d+s\n$/);
    assert.match(await node.k('get', 'svc', 'lb', '-o', 'jsonpath={.spec.allocateLoadBalancerNodePorts}'), /^true$/);
  });

  await t.test('an ExternalName Service prints its name as EXTERNAL-IP and has no cluster IP', async () => {
    assert.equal(await node.k('create', 'service', 'externalname', 'db', '--external-name=db.example.com'), 'service/db created\n');
    assert.match(await node.k('get', 'svc', 'db'), /\ndb\s+ExternalName\s+<none>\s+db\.example\.com\s+<none>\s+\d+s\n$/);
    assert.equal(await node.k('get', 'svc', 'db', '-o', 'jsonpath={.spec.clusterIP}|{.spec.ipFamilies}|{.spec.internalTrafficPolicy}'), '||');
  });

  await t.test('an invalid Service is refused with kube-apiserver text and nothing is stored', async () => {
    const bad = await node.kubectl(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Service
metadata:
  name: bad
spec:
  ports:
  - port: 80
    protocol: HTTP
  - port: 0
  sessionAffinity: Sticky
`,
    });
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr,
      'The Service "bad" is invalid: \n' +
        '* spec.ports[0].name: Required value\n' +
        '* spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"\n' +
        '* spec.ports[1].name: Required value\n' +
        '* spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive\n' +
        '* spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive\n' +
        '* spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"\n',
    );
    const missing = await node.kubectl(['get', 'svc', 'bad']);
    assert.match(missing.stderr, /services "bad" not found/);
  });

  await t.test('a changed cluster IP, a taken cluster IP or node port and an out-of-range IP are 422s, and nothing changes', async () => {
    const fixed = (name: string, ip: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  clusterIP: ${ip}
  selector:
    app: shop
  ports:
  - port: 80
`;
    assert.equal(await applyText(node, fixed('fixed', '10.96.0.20')), 'service/fixed created\n');
    const changed = await node.kubectl(['apply', '-f', '-'], { input: fixed('fixed', '10.96.0.21') });
    assert.equal(changed.code, 1);
    assert.equal(changed.stderr, 'The Service "fixed" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.21"}: may not change once set\n');
    assert.equal(await node.k('get', 'svc', 'fixed', '-o', 'jsonpath={.spec.clusterIP}'), '10.96.0.20');

    const taken = await node.kubectl(['create', '-f', '-'], { input: fixed('fixed2', '10.96.0.20') });
    assert.equal(taken.stderr, 'The Service "fixed2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.20"}: failed to allocate IP 10.96.0.20: provided IP is already allocated\n');
    const outside = await node.kubectl(['create', '-f', '-'], { input: fixed('outside', '1.1.1.1') });
    assert.equal(outside.stderr, 'The Service "outside" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided network does not match the current range\n');
    const port = await node.kubectl(['create', 'service', 'nodeport', 'np2', '--tcp=81', '--node-port=30080']);
    assert.equal(port.stderr, 'error: failed to create NodePort service: Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n');
    assert.match((await node.kubectl(['get', 'svc', 'fixed2', 'outside', 'np2'])).stderr, /not found/);
  });

  await t.test('describe svc shows the Service and the endpoints kubectl finds for it', async () => {
    const out = await node.k('describe', 'svc', 'np');
    assert.match(out, /^Name:\s+np\nNamespace:\s+default\n/);
    assert.match(out, /\nSelector:\s+app=shop\nType:\s+NodePort\nIP Family Policy:\s+SingleStack\nIP Families:\s+IPv4\nIP:\s+\S+\nIPs:\s+\S+\n/);
    assert.match(out, /\nPort:\s+http\s+80\/TCP\nTargetPort:\s+9090\/TCP\nNodePort:\s+http\s+30080\/TCP\nEndpoints:\s+/);
    assert.match(out, /\nSession Affinity:\s+None\nExternal Traffic Policy:\s+Cluster\nInternal Traffic Policy:\s+Cluster\n/);
  });

  await t.test('Endpoints and EndpointSlices are listed with their columns; Endpoints requests carry the v1.33 deprecation warning', async () => {
    const manual = `apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  ports:
  - name: http
    port: 80
---
apiVersion: v1
kind: Endpoints
metadata:
  name: ext
  labels:
    e2e: manual
subsets:
- addresses: [{ip: 10.244.7.1}, {ip: 10.244.7.2}, {ip: 10.244.7.3}, {ip: 10.244.7.4}]
  ports:
  - name: http
    port: 8080
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext-manual
  labels:
    e2e: manual
    kubernetes.io/service-name: ext
addressType: IPv4
ports:
- name: http
  port: 8080
endpoints:
- addresses: [10.244.7.1]
  conditions: {ready: true}
`;
    await applyText(node, manual);
    const listed = await node.kubectl(['get', 'endpointslices,endpoints', '-l', 'e2e=manual']);
    assert.equal(listed.code, 0);
    assert.match(
      listed.stdout,
      /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\nendpointslice\.discovery\.k8s\.io\/ext-manual\s+IPv4\s+8080\s+10\.244\.7\.1\s+\d+s\n\nNAME\s+ENDPOINTS\s+AGE\nendpoints\/ext\s+10\.244\.7\.1:8080,10\.244\.7\.2:8080,10\.244\.7\.3:8080 \+ 1 more\.\.\.\s+\d+s\n$/,
    );
    assert.match(listed.stderr, /Warning: v1 Endpoints is deprecated in v1\.33\+; use discovery\.k8s\.io\/v1 EndpointSlice/);
    assert.match(await node.k('describe', 'svc', 'ext'), /\nEndpoints:\s+10\.244\.7\.1:8080\n/);
    assert.equal(await node.k('get', 'endpointslice', 'ext-manual', '-o', 'jsonpath={.metadata.generation} {.ports[0].protocol} {.endpoints[0].conditions.ready}'), '1 TCP true');

    // Deleting the Service deletes its Endpoints of the same name (kube-apiserver's AfterDelete).
    assert.equal(await node.k('delete', 'svc', 'ext'), 'service "ext" deleted\n');
    assert.match((await node.kubectl(['get', 'endpoints', 'ext'])).stderr, /endpoints "ext" not found/);
  });

  await t.test('discovery lists the kinds as kube-apiserver v1.33 does, and explain reads their schemas', async () => {
    const resources = await node.k('api-resources');
    const lines = resources.split('\n').filter((l) => /^(services|endpoints|endpointslices)\s/.test(l)).map((l) => l.split(/\s+/).join(' '));
    assert.deepEqual(lines.sort(), ['endpoints ep v1 true Endpoints', 'endpointslices discovery.k8s.io/v1 true EndpointSlice', 'services svc v1 true Service']);
    const wide = (await node.k('api-resources', '-o', 'wide')).split('\n').find((l) => l.startsWith('services '));
    assert.match(wide ?? '', /\screate,delete,deletecollection,get,list,patch,update,watch\s+all$/);
    assert.match(await node.k('explain', 'service.spec.clusterIP'), /FIELD: clusterIP <string>/);
    assert.match(await node.k('explain', 'endpointslices.endpoints'), /^GROUP:\s+discovery\.k8s\.io\nKIND:\s+EndpointSlice\nVERSION:\s+v1\n\nFIELD: endpoints <\[\]Endpoint>/);
    assert.match(await node.k('get', 'all'), /\nservice\/web\s+ClusterIP\s+/);
  });
});
