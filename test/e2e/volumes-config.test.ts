/**
 * configMap and secret volumes and environment, end to end (issue 3): files
 * and variables in the containers, a secret mounted only into the init
 * container is invisible to the app container, configMap updates reach the
 * running container through the `..data` swap, secret values stay out of
 * events and berth's log, and nothing stays mounted once the pod is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BerthNode } from './harness.ts';

const manifest = `
apiVersion: v1
kind: Pod
metadata:
  name: config-demo
  labels: {app: config-demo}
spec:
  restartPolicy: Never
  initContainers:
  - name: init-secret
    image: busybox:1.35
    command: ["sh", "-c", "wc -c < /secret/password > /work/seen; ls -l /secret/ > /work/listing; grep secret /proc/mounts > /work/mounts"]
    volumeMounts:
    - {name: creds, mountPath: /secret}
    - {name: work, mountPath: /work}
  containers:
  - name: app
    image: busybox:1.35
    command:
    - sh
    - -c
    - |
      echo "seen=$(cat /work/seen) listing=$(grep -c password /work/listing)"
      cat /work/mounts
      if [ -e /secret ]; then echo secret-dir-visible; else echo secret-dir-absent; fi
      echo "env GREETING=$GREETING MODE=$MODE CFG_greeting=$CFG_greeting DB_PASSWORD_LEN=\${#DB_PASSWORD} MSG=$MSG"
      echo "file=$(cat /config/greeting)"
      ls -la /config/ | grep -c -- '-> ..data/'
      touch /config/new 2>/dev/null && echo config-writable || echo config-read-only
      trap 'exit 0' TERM
      while true; do echo "now=$(cat /config/greeting)"; sleep 1; done
    env:
    - name: GREETING
      valueFrom: {configMapKeyRef: {name: app-config, key: greeting}}
    - name: DB_PASSWORD
      valueFrom: {secretKeyRef: {name: db, key: password}}
    - name: MSG
      value: "$(GREETING), world"
    envFrom:
    - configMapRef: {name: app-config}
    - configMapRef: {name: app-config}
      prefix: CFG_
    volumeMounts:
    - {name: config, mountPath: /config}
    - {name: work, mountPath: /work}
  volumes:
  - name: config
    configMap: {name: app-config}
  - name: creds
    secret: {secretName: db, defaultMode: 0400}
  - name: work
    emptyDir: {}
`;

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m) => m && m.startsWith(dir));
}

test('configMap and secret reach volumes and env; the init-only secret is invisible to the app; updates propagate', async (t) => {
  const node = await BerthNode.start(t);
  await node.k('create', 'configmap', 'app-config', '--from-literal=greeting=hello', '--from-literal=mode=prod');
  await node.k('create', 'secret', 'generic', 'db', '--from-literal=password=s3cr3t-value');
  const applied = await node.kubectl(['apply', '-f', '-'], { input: manifest });
  assert.equal(applied.code, 0, applied.stderr);
  await node.waitForJsonpath('pod/config-demo', '{.status.phase}', (p) => p === 'Running', 60_000);

  const logs = async () => (await node.kubectl(['logs', 'config-demo', '-c', 'app'])).stdout;
  let out = '';
  for (let i = 0; i < 100 && !/now=hello/.test(out); i++) {
    out = await logs();
    await new Promise((r) => setTimeout(r, 100));
  }
  // The init container read the 12-byte password from its tmpfs secret volume.
  assert.match(out, /^seen=12 listing=1$/m);
  assert.match(out, /^tmpfs \/secret tmpfs ro,/m);
  // The app container never mounted it.
  assert.match(out, /^secret-dir-absent$/m);
  assert.match(out, /^env GREETING=hello MODE= CFG_greeting=hello DB_PASSWORD_LEN=12 MSG=hello, world$/m);
  assert.match(out, /^file=hello$/m);
  // Two keys, each a symlink into ..data; the volume is mounted read-only.
  assert.match(out, /^2$/m);
  assert.match(out, /^config-read-only$/m);
  assert.match(out, /^now=hello$/m);

  // The update reaches the running container (the kubelet's atomic writer
  // swap) at the pod's next resync, 60–90 s after its last sync, as on a cluster.
  await node.k('patch', 'configmap', 'app-config', '--type=merge', '-p', '{"data":{"greeting":"updated"}}');
  const deadline = Date.now() + 100_000;
  while (!/now=updated/.test(await logs())) {
    assert.ok(Date.now() < deadline, 'the configMap update did not reach the container within 100 s');
    await new Promise((r) => setTimeout(r, 500));
  }

  // Secret values never show in events or berth's own output.
  const events = await node.k('get', 'events', '-o', 'yaml');
  assert.doesNotMatch(events, /s3cr3t-value/);
  assert.doesNotMatch(node.output.join('\n'), /s3cr3t-value/);
  const tmpfs = mountsUnder(node.dataDir).filter((m) => m.includes('kubernetes.io~secret'));
  assert.equal(tmpfs.length, 1, `one secret tmpfs expected, got ${tmpfs.join(', ')}`);

  await node.k('delete', 'pod', 'config-demo', '--grace-period=1');
  // The node unmounts the pod's volumes as it removes the pod.
  for (let i = 0; i < 150 && mountsUnder(`${node.dataDir}/pods`).length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(mountsUnder(`${node.dataDir}/pods`), []);
});
