/**
 * ServiceAccounts and bound tokens on a node with the service network, with
 * the real kubectl: every namespace gets a `default` ServiceAccount and the
 * kube-root-ca.crt ConfigMap, `kubectl create serviceaccount` and `kubectl
 * create token` work, a pod gets the kube-api-access projected volume the
 * admission plugin injects (token, ca.crt, namespace; an init container reads
 * the namespace from it; a projected token for another audience beside it),
 * a pod naming a missing ServiceAccount is refused
 * with the plugin's text, and a pod's mounted token authenticates as its
 * ServiceAccount until the pod is deleted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BerthNode } from './harness.ts';
import { applyText, kubectlUntil } from './kubectl-fixtures.ts';

const saDir = '/var/run/secrets/kubernetes.io/serviceaccount';

const reader = `apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  serviceAccountName: bot
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: whereami
    image: busybox:1.35
    command: ["sh", "-c", "echo namespace=$(cat ${saDir}/namespace)"]
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts:
    - name: vault-token
      mountPath: /var/run/secrets/tokens
  volumes:
  - name: vault-token
    projected:
      sources:
      - serviceAccountToken:
          audience: vault
          expirationSeconds: 600
          path: vault-token
`;

const plain = `apiVersion: v1
kind: Pod
metadata:
  name: plain
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

const lost = `apiVersion: v1
kind: Pod
metadata:
  name: lost
spec:
  serviceAccountName: foo
  containers:
  - name: main
    image: busybox:1.35
`;

function claims(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

test('ServiceAccounts, the kube-api-access volume and bound tokens work as on a cluster', { timeout: 360_000 }, async (t) => {
  const node = await BerthNode.start(t, { serviceNetwork: true });
  const k = node.k.bind(node);

  await t.test('a new namespace gets the default ServiceAccount and kube-root-ca.crt', async () => {
    await k('create', 'namespace', 'team');
    const r = await kubectlUntil(node, ['get', 'sa', '-n', 'team'], (x) => x.code === 0 && /^default\s+0\s+\S+$/m.test(x.stdout));
    assert.match(r.stdout, /^NAME\s+SECRETS\s+AGE$/m);
    const kc = parseYaml(readFileSync(node.kubeconfig, 'utf8'));
    const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8');
    const cm = await kubectlUntil(node, ['get', 'configmap', 'kube-root-ca.crt', '-n', 'team', '-o', 'jsonpath={.data.ca\\.crt}'], (x) => x.code === 0 && x.stdout !== '');
    assert.equal(cm.stdout, ca);
  });

  await t.test('a manifest with a Namespace and a Pod in it applies in one go', async () => {
    // kube-apiserver's admission waits a moment for the controller's default ServiceAccount.
    const out = await applyText(node, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fresh\n---\n${plain.replace('name: plain', 'name: first\n  namespace: fresh')}`);
    assert.equal(out, 'namespace/fresh created\npod/first created\n');
    await k('delete', 'namespace', 'fresh', '--wait=false');
  });

  await t.test('kubectl create serviceaccount creates one', async () => {
    assert.equal((await k('create', 'serviceaccount', 'bot')).trim(), 'serviceaccount/bot created');
    assert.match(await k('get', 'serviceaccount', 'bot'), /^bot\s+0\s+\S+$/m);
    assert.equal(
      await k('describe', 'sa', 'bot'),
      [
        'Name:                bot',
        'Namespace:           default',
        'Labels:              <none>',
        'Annotations:         <none>',
        'Image pull secrets:  <none>',
        'Mountable secrets:   <none>',
        'Tokens:              <none>',
        'Events:              <none>',
        '',
      ].join('\n'),
    );
  });

  await t.test('a pod whose ServiceAccount does not exist is refused with the admission text', async () => {
    const r = await node.kubectl(['apply', '-f', '-'], { input: lost });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(Forbidden\): error when creating "STDIN": pods "lost" is forbidden: error looking up service account default\/foo: serviceaccount "foo" not found/);
  });

  await t.test('a pod gets kube-api-access-xxxxx with token, ca.crt and namespace; its init container reads the namespace', async () => {
    await applyText(node, reader);
    await kubectlUntil(node, ['get', 'pod', 'reader', '-o', 'jsonpath={.status.phase}'], (x) => x.stdout === 'Running', 120_000);
    const pod = JSON.parse(await k('get', 'pod', 'reader', '-o', 'json'));
    const vol = pod.spec.volumes.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
    assert.match(vol.name, /^kube-api-access-[a-z0-9]{5}$/);
    assert.deepEqual(vol.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    const mount = { name: vol.name, mountPath: saDir, readOnly: true };
    assert.deepEqual(pod.spec.initContainers[0].volumeMounts, [mount]);
    assert.deepEqual(pod.spec.containers[0].volumeMounts, [{ name: 'vault-token', mountPath: '/var/run/secrets/tokens' }, mount]);
    assert.deepEqual(pod.spec.volumes.map((v: { name: string }) => v.name), ['vault-token', vol.name]);
    assert.equal(pod.spec.serviceAccountName, 'bot');
    assert.equal((await k('logs', 'reader', '-c', 'whereami')).trim(), 'namespace=default');
    assert.deepEqual((await k('exec', 'reader', '--', 'ls', saDir)).trim().split(/\s+/), ['ca.crt', 'namespace', 'token']);
    const token = await k('exec', 'reader', '--', 'cat', `${saDir}/token`);
    const c = claims(token);
    assert.equal(c.iss, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(c.sub, 'system:serviceaccount:default:bot');
    assert.deepEqual(c.aud, ['https://kubernetes.default.svc.cluster.local']);
    assert.equal(c['kubernetes.io'].pod.name, 'reader');
    assert.equal(c['kubernetes.io'].pod.uid, pod.metadata.uid);
    assert.equal(c['kubernetes.io'].warnafter, c.iat + 3607);
    const vault = claims(await k('exec', 'reader', '--', 'cat', '/var/run/secrets/tokens/vault-token'));
    assert.deepEqual(vault.aud, ['vault']);
    assert.equal(vault.exp - vault.iat, 600);
    assert.equal(vault['kubernetes.io'].pod.name, 'reader');
    assert.equal(vault['kubernetes.io'].warnafter, undefined);
  });

  await t.test('kubectl create token issues a token with the duration and audience asked for', async () => {
    const token = (await k('create', 'token', 'bot', '--duration=20m', '--audience=vault')).trim();
    const c = claims(token);
    assert.deepEqual(c.aud, ['vault']);
    assert.equal(c.exp - c.iat, 1200);
    assert.equal(c.sub, 'system:serviceaccount:default:bot');
    const short = await node.kubectl(['create', 'token', 'bot', '--duration=1m']);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /TokenRequest\.authentication\.k8s\.io "" is invalid: spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
  });

  await t.test("a pod's mounted token authenticates as its ServiceAccount until the pod is deleted", async () => {
    await applyText(node, plain);
    await kubectlUntil(node, ['get', 'pod', 'plain', '-o', 'jsonpath={.status.phase}'], (x) => x.stdout === 'Running', 120_000);
    const token = await k('exec', 'plain', '--', 'cat', `${saDir}/token`);
    const whoami = await node.kubectl(['--token', token, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal(whoami.stdout, 'system:serviceaccount:default:default');
    assert.equal((await node.rawRequest('/api', { token })).status, 200);
    const list = await node.kubectl(['--token', token, 'get', 'pods']);
    assert.equal(
      list.stderr,
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"\n',
    );
    await k('delete', 'pod', 'plain', '--wait=true', '--timeout=60s');
    const after = await node.rawRequest('/api', { token });
    assert.equal(after.status, 401);
    const forged = token.slice(0, token.lastIndexOf('.') + 1) + 'AAAA';
    assert.equal((await node.rawRequest('/api', { token: forged })).status, 401);
  });

  await t.test('no token appears in the node\'s log or in events', async () => {
    // Every token berth issues starts with its ES256 header.
    const header = Buffer.from('{"alg":"ES256"').toString('base64url').slice(0, 16);
    assert.ok(!node.output.join('\n').includes(header), 'a token in the log of berth serve');
    assert.ok(!(await k('get', 'events', '-A', '-o', 'json')).includes(header), 'a token in an event');
  });
});
