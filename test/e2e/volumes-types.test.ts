/**
 * Volume types end to end (issue 3): emptyDir `medium: Memory` as a tmpfs
 * limited by its sizeLimit, downwardAPI files (labels, annotations, a
 * resource limit) that follow label changes, subPath mounts (a configMap key
 * as a single file, a directory of an emptyDir created on demand and shared
 * between an init and an app container), hostPath with DirectoryOrCreate,
 * readOnly mounts, a projected volume — and no mount left behind after the
 * pod is deleted, also when berth was SIGKILLed in between.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthNode } from './harness.ts';

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[4]?.startsWith(dir))
    .map((f) => `${f[4]} ${f[f.indexOf('-') + 1]}`);
}

async function logsUntil(node: BerthNode, pod: string, container: string, re: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = (await node.kubectl(['logs', pod, '-c', container])).stdout;
    if (re.test(out)) return out;
    assert.ok(Date.now() < deadline, `logs of ${pod}/${container} never matched ${re}:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const manifest = (hostDir: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: volume-types
  labels: {app: volume-types, tier: demo}
  annotations: {build: "42"}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: prepare
    image: busybox:1.35
    command: ["sh", "-c", "echo from-init > /shared/hello; echo host-file > /host/written"]
    volumeMounts:
    - {name: scratch, mountPath: /shared, subPath: nested/dir}
    - {name: host, mountPath: /host}
  containers:
  - name: app
    image: busybox:1.35
    resources:
      limits: {memory: 128Mi}
    command:
    - sh
    - -c
    - |
      echo "cache: $(df -k /cache | tail -1 | awk '{print $1, $2}')"
      dd if=/dev/zero of=/cache/fill bs=1M count=12 2>&1 | grep -o 'No space left on device'
      echo "labels: $(cat /info/labels | tr '\\n' ' ')"
      echo "annotations: $(grep -c . /info/annotations) build=$(grep '^build=' /info/annotations)"
      echo "mem-limit: $(cat /info/mem)"
      echo "settings: $(cat /etc/app/settings.conf)"
      ls /etc/app
      echo "shared: $(cat /data/hello)"
      echo "nested: $(cat /all/nested/dir/hello)"
      echo "projected: $(cat /proj/greeting) $(cat /proj/ns)"
      touch /all/x 2>/dev/null && echo all-writable || echo all-read-only
      trap 'exit 0' TERM
      while true; do echo "tier=$(grep tier /info/labels)"; sleep 1; done
    volumeMounts:
    - {name: cache, mountPath: /cache}
    - {name: info, mountPath: /info}
    - {name: config, mountPath: /etc/app/settings.conf, subPath: settings.conf}
    - {name: scratch, mountPath: /data, subPath: nested/dir}
    - {name: scratch, mountPath: /all, readOnly: true}
    - {name: proj, mountPath: /proj}
  volumes:
  - name: cache
    emptyDir: {medium: Memory, sizeLimit: 8Mi}
  - name: info
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
      - {path: mem, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}
  - name: config
    configMap: {name: app-settings}
  - name: scratch
    emptyDir: {}
  - name: host
    hostPath: {path: ${hostDir}/made-by-berth, type: DirectoryOrCreate}
  - name: proj
    projected:
      sources:
      - configMap: {name: app-settings, items: [{key: greeting, path: greeting}]}
      - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
`;

test('emptyDir Memory, downwardAPI, subPath, hostPath, readOnly and projected volumes behave as on a node, and leave no mounts', async (t) => {
  const hostDir = mkdtempSync(join(tmpdir(), 'berth-hostpath-'));
  t.after(() => rmSync(hostDir, { recursive: true, force: true }));
  const node = await BerthNode.start(t);
  await node.k('create', 'configmap', 'app-settings', '--from-literal=settings.conf=level=debug', '--from-literal=greeting=hi');
  const r = await node.kubectl(['apply', '-f', '-'], { input: manifest(hostDir) });
  assert.equal(r.code, 0, r.stderr);
  await node.waitForJsonpath('pod/volume-types', '{.status.phase}', (p) => p === 'Running', 60_000);
  const out = await logsUntil(node, 'volume-types', 'app', /tier=/);

  // A tmpfs of exactly the sizeLimit; writing past it fails.
  assert.match(out, /^cache: tmpfs 8192$/m);
  assert.match(out, /^No space left on device$/m);
  assert.match(out, /^labels: app="volume-types" tier="demo"$/m);
  // build, kubectl's last-applied-configuration, and the kubelet's config.seen and config.source.
  assert.match(out, /^annotations: 4 build=build="42"$/m);
  assert.match(out, /^mem-limit: 128$/m);
  assert.match(out, /^settings: level=debug$/m);
  assert.match(out, /^settings\.conf$/m);
  assert.match(out, /^shared: from-init$/m);
  assert.match(out, /^nested: from-init$/m);
  assert.match(out, /^projected: hi default$/m);
  assert.match(out, /^all-read-only$/m);
  assert.equal(readFileSync(join(hostDir, 'made-by-berth', 'written'), 'utf8'), 'host-file\n');

  const mounts = mountsUnder(join(node.dataDir, 'pods'));
  assert.ok(mounts.some((m) => /kubernetes\.io~empty-dir\/cache tmpfs$/.test(m)), mounts.join('\n'));
  assert.ok(mounts.some((m) => /kubernetes\.io~projected\/proj tmpfs$/.test(m)), mounts.join('\n'));
  assert.ok(mounts.some((m) => /volume-subpaths\/scratch\/app\/3 /.test(m)), mounts.join('\n'));

  // Label changes reach the downwardAPI file.
  await node.k('label', 'pod', 'volume-types', 'tier=changed', '--overwrite');
  await logsUntil(node, 'volume-types', 'app', /tier="changed"/, 75_000);

  // SIGKILL berth, start it again, delete the pod: every mount goes.
  await node.kill9();
  await node.serve();
  await node.k('delete', 'pod', 'volume-types', '--grace-period=1');
  for (let i = 0; i < 150 && mountsUnder(join(node.dataDir, 'pods')).length; i++) await new Promise((res) => setTimeout(res, 100));
  assert.deepEqual(mountsUnder(join(node.dataDir, 'pods')), []);
  for (let i = 0; i < 50 && existsSync(join(node.dataDir, 'pods')) && readFileSync('/proc/self/mountinfo', 'utf8').includes(node.dataDir + '/pods'); i++) {
    await new Promise((res) => setTimeout(res, 100));
  }
  // The hostPath directory is the user's: it stays.
  assert.ok(existsSync(join(hostDir, 'made-by-berth', 'written')));
});
