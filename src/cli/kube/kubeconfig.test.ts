import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kubeconfigYaml } from '../../node-credentials.ts';
import { defaultKubeconfigFiles, loadKubeTarget, mergeKubeconfig, writeKubeconfigFile } from './kubeconfig.ts';

const berth = kubeconfigYaml('https://127.0.0.1:6443', '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n', 'tok123');

const userConfig = `# my clusters
apiVersion: v1
kind: Config
preferences: {}
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
users:
- name: prod-admin
  user:
    token: prodtoken
contexts:
- name: prod
  context:
    cluster: prod
    user: prod-admin
    namespace: shop
current-context: prod
`;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('mergeKubeconfig', () => {
  it('mergeKubeconfig adds a berth context and keeps the other entries, comments and current context', () => {
    const r = mergeKubeconfig(userConfig, berth, 'berth', false);
    const doc = parse(r.text);
    assert.deepEqual(doc.contexts.map((c: any) => c.name), ['prod', 'berth']);
    assert.deepEqual(doc.clusters.map((c: any) => c.name), ['prod', 'berth']);
    assert.equal(doc.users[1].user.token, 'tok123');
    assert.equal(doc['current-context'], 'prod');
    assert.match(r.text, /^# my clusters/);
    assert.deepEqual([r.replaced, r.current], [false, false]);
  });

  it('mergeKubeconfig replaces an earlier entry of the same name and switches with use', () => {
    const once = mergeKubeconfig(userConfig, berth, 'berth', false).text;
    const r = mergeKubeconfig(once, berth.replace('tok123', 'tok456'), 'berth', true);
    const doc = parse(r.text);
    assert.equal(doc.users.filter((u: any) => u.name === 'berth').length, 1);
    assert.equal(doc.users.find((u: any) => u.name === 'berth').user.token, 'tok456');
    assert.equal(doc['current-context'], 'berth');
    assert.deepEqual([r.replaced, r.current], [true, true]);
  });

  it('mergeKubeconfig names entries after the context it is given', () => {
    const doc = parse(mergeKubeconfig(undefined, berth, 'berth-2', false).text);
    assert.deepEqual(doc.contexts[0], { name: 'berth-2', context: { cluster: 'berth-2', user: 'berth-2', namespace: 'default' } });
    assert.equal(doc['current-context'], 'berth-2', 'a new file gets the context as current');
  });

  it('mergeKubeconfig refuses a file that is not a kubeconfig', () => {
    assert.throws(() => mergeKubeconfig('kind: Pod\napiVersion: v1\n', berth, 'berth', false), /has kind "Pod", not Config; it was left unchanged/);
    assert.throws(() => mergeKubeconfig('a: [1\n', berth, 'berth', false), /not valid YAML/);
  });
});

describe('loadKubeTarget', () => {
  it('loadKubeTarget resolves the current context to server, CA, token and namespace', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'config'), berth);
    const target = loadKubeTarget([join(dir, 'config')]);
    assert.equal(target.server.href, 'https://127.0.0.1:6443/');
    assert.equal(target.token, 'tok123');
    assert.equal(target.namespace, 'default');
    assert.match(target.ca!.toString(), /BEGIN CERTIFICATE/);
  });

  it('loadKubeTarget merges files with the first definition winning, as kubectl does', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'a'), userConfig);
    writeFileSync(join(dir, 'b'), berth);
    const target = loadKubeTarget([join(dir, 'a'), join(dir, 'b')]);
    assert.equal(target.context, 'prod');
    assert.equal(target.namespace, 'shop');
    assert.equal(loadKubeTarget([join(dir, 'a'), join(dir, 'b')], 'berth').token, 'tok123');
  });

  it('loadKubeTarget names what is missing', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'a'), userConfig);
    assert.throws(() => loadKubeTarget([join(dir, 'a')], 'nope'), /context "nope" not found in kubeconfig/);
    assert.throws(() => loadKubeTarget([join(dir, 'missing')]), /no such file/);
    writeFileSync(join(dir, 'exec'), userConfig.replace('token: prodtoken', 'exec: {command: aws}'));
    assert.throws(() => loadKubeTarget([join(dir, 'exec')]), /exec plugin, which berth does not run/);
  });
});

describe('kubeconfig files', () => {
  it('defaultKubeconfigFiles splits $KUBECONFIG, else uses ~/.kube/config', () => {
    assert.deepEqual(defaultKubeconfigFiles({ KUBECONFIG: '/a:/b', HOME: '/h' }), ['/a', '/b']);
    assert.deepEqual(defaultKubeconfigFiles({ HOME: '/h' }), ['/h/.kube/config']);
  });

  it('writeKubeconfigFile writes mode 0600 in a new 0700 directory', (t) => {
    const dir = tempDir(t);
    const file = join(dir, '.kube', 'config');
    writeKubeconfigFile(file, 'x');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, '.kube')).mode & 0o777, 0o700);
  });
});
