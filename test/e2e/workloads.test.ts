/**
 * Deployments, ReplicaSets and DaemonSets on containerd, driven by the real
 * kubectl as on a cluster: a 3-replica Deployment whose pods have init
 * containers rolls out (`rollout status` with kubectl's own words), `set
 * image` rolls to a new ReplicaSet and `rollout undo` back to the first
 * (revision numbers as upstream), `scale` to 1 and 5, a pod deleted by hand
 * is replaced, `rollout history`, `restart`, `pause`/`resume`, `logs` and
 * `exec` through `deploy/`, deleting the Deployment cascades to its
 * ReplicaSets and pods while `--cascade=orphan` leaves the pods, a DaemonSet
 * runs its one pod, and `get all` lists them as a cluster does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { BerthNode } from './harness.ts';
import { applyText, jsonpathUntil, kubectlUntil } from './kubectl-fixtures.ts';

function deployment(name: string, replicas: number, image = 'busybox:1.35'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      terminationGracePeriodSeconds: 2
      initContainers:
      - name: prepare
        image: busybox:1.35
        command: ["sh", "-c", "echo prepared > /work/ready"]
        volumeMounts:
        - name: work
          mountPath: /work
      containers:
      - name: app
        image: ${image}
        command: ["sh", "-c", "cat /work/ready; trap 'exit 0' TERM; while true; do sleep 1; done"]
        volumeMounts:
        - name: work
          mountPath: /work
      volumes:
      - name: work
        emptyDir: {}
`;
}

const podNames = async (node: BerthNode, selector: string): Promise<string[]> =>
  (await node.k('get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}')).split('\n').filter(Boolean).sort();

test('kubectl drives Deployments, ReplicaSets and DaemonSets as on a cluster', async (t) => {
  const node = await BerthNode.start(t);

  await t.test('a 3-replica Deployment with init containers rolls out and rollout status says so in kubectl\'s words', async () => {
    assert.equal(await applyText(node, deployment('web', 3)), 'deployment.apps/web created\n');
    const status = await node.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /deployment "web" successfully rolled out\n$/);
    assert.match(await node.k('get', 'deploy', 'web'), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+3\/3\s+3\s+3\s+\d+s\n$/);
    const pods = await podNames(node, 'app=web');
    assert.equal(pods.length, 3);
    for (const p of pods) assert.match(p, /^web-[a-z0-9]{6,10}-[a-z0-9]{5}$/);
    const rs = await node.k('get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}');
    assert.equal(rs.split(' ').length, 1);
    assert.equal(await node.k('get', 'rs', rs, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '1');
    assert.equal(await node.k('logs', 'deploy/web', '-c', 'app'), 'prepared\n');
    assert.equal(await node.k('exec', 'deploy/web', '--', 'cat', '/work/ready'), 'prepared\n');
    assert.match(await node.k('describe', 'deploy', 'web'), /ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-\S+ (from 0 )?to 3/);
  });

  await t.test('a pod deleted by hand is replaced', async () => {
    const [first] = await podNames(node, 'app=web');
    await node.k('delete', 'pod', first, '--wait=false');
    await kubectlUntil(node, ['get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'name'], (r) => {
      const names = r.stdout.split('\n').filter(Boolean);
      return names.length === 3 && !names.includes(`pod/${first}`);
    }, 60_000);
  });

  await t.test('set image rolls to a new ReplicaSet and rollout undo back to the first, with revisions 2 and 3', async () => {
    const before = await node.k('get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}');
    // The same image by its full name: a new template (a new ReplicaSet) with nothing to pull.
    assert.equal(await node.k('set', 'image', 'deployment/web', 'app=docker.io/library/busybox:1.35'), 'deployment.apps/web image updated\n');
    const rolled = await node.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(rolled.code, 0, rolled.stderr);
    const sets = (await node.k('get', 'rs', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.annotations.deployment\\.kubernetes\\.io/revision}={.spec.replicas}{"\\n"}{end}'))
      .split('\n')
      .filter(Boolean)
      .sort();
    assert.equal(sets.length, 2);
    assert.ok(sets.includes(`${before}=1=0`), sets.join(','));
    assert.ok(sets.some((x) => x !== `${before}=1=0` && x.endsWith('=2=3')), sets.join(','));
    assert.equal(await node.k('rollout', 'undo', 'deployment/web'), 'deployment.apps/web rolled back\n');
    const back = await node.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(await node.k('get', 'rs', before, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '3');
    assert.equal(await node.k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '3');
    const history = await node.k('rollout', 'history', 'deployment/web');
    assert.match(history, /^deployment\.apps\/web \nREVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n/);
  });

  await t.test('scale to 1 and to 5', async () => {
    assert.equal(await node.k('scale', 'deployment/web', '--replicas=1'), 'deployment.apps/web scaled\n');
    await kubectlUntil(node, ['get', 'pods', '-l', 'app=web', '-o', 'name'], (r) => r.stdout.split('\n').filter(Boolean).length === 1, 60_000);
    assert.equal(await node.k('scale', 'deployment/web', '--replicas=5'), 'deployment.apps/web scaled\n');
    const status = await node.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(await jsonpathUntil(node, ['deploy', 'web'], '{.status.readyReplicas}', (v) => v === '5'), '5');
  });

  await t.test('rollout pause holds a template change, resume rolls it, restart rolls the same template again', async () => {
    assert.equal(await node.k('rollout', 'pause', 'deployment/web'), 'deployment.apps/web paused\n');
    assert.equal(await node.k('set', 'env', 'deployment/web', 'GREETING=hello'), 'deployment.apps/web env updated\n');
    const paused = await jsonpathUntil(node, ['deploy', 'web'], '{.status.conditions[?(@.type=="Progressing")].reason}', (v) => v === 'DeploymentPaused');
    assert.equal(paused, 'DeploymentPaused');
    assert.equal((await node.k('get', 'rs', '-l', 'app=web', '-o', 'name')).split('\n').filter(Boolean).length, 2, 'no new ReplicaSet while paused');
    assert.equal(await node.k('rollout', 'resume', 'deployment/web'), 'deployment.apps/web resumed\n');
    assert.equal((await node.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 100_000 })).code, 0);
    // Once the old pods are gone, every pod has the new environment.
    await kubectlUntil(node, ['get', 'pods', '-l', 'app=web', '-o', 'name'], (r) => r.stdout.split('\n').filter(Boolean).length === 5, 60_000);
    for (const pod of await podNames(node, 'app=web')) {
      assert.equal(await node.k('exec', pod, '-c', 'app', '--', 'sh', '-c', 'echo $GREETING'), 'hello\n');
    }
    assert.equal(await node.k('rollout', 'restart', 'deployment/web'), 'deployment.apps/web restarted\n');
    assert.equal((await node.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 100_000 })).code, 0);
    assert.match(await node.k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations}'), /kubectl\.kubernetes\.io\/restartedAt/);
    assert.equal(await node.k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '5');
  });

  await t.test('port-forward deploy/ reaches the Deployment\'s pod', async () => {
    const echo = deployment('echo', 1).replace(
      `command: ["sh", "-c", "cat /work/ready; trap 'exit 0' TERM; while true; do sleep 1; done"]`,
      `command: ["sh", "-c", "trap 'exit 0' TERM; while true; do echo pong | nc -l -p 8080; done"]`,
    );
    await applyText(node, echo);
    assert.equal((await node.kubectl(['rollout', 'status', 'deployment/echo', '--timeout=90s'], { timeoutMs: 100_000 })).code, 0);
    const fwd = node.watch(['port-forward', 'deploy/echo', ':8080']);
    const line = await fwd.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let got = '';
      socket.on('data', (d) => (got += d));
      socket.on('close', () => resolve(got));
      socket.on('error', (err) => resolve(`error: ${err.message}`));
    });
    await fwd.stop();
    assert.equal(answer, 'pong\n');
    await node.k('delete', 'deployment', 'echo');
  });

  await t.test('get all lists the Deployment, its ReplicaSets and pods as a cluster does', async () => {
    const all = await node.k('get', 'all');
    assert.match(all, /\nNAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/web\s+5\/5\s+5\s+5\s+\d+s\n/);
    assert.match(all, /\nNAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nreplicaset\.apps\/web-/);
    assert.match(all, /\nreplicaset\.apps\/web-\S+\s+5\s+5\s+5\s+\d+s\n/);
    assert.match(all, /pod\/web-\S+\s+1\/1\s+Running/);
  });

  await t.test('--cascade=orphan leaves the pods; deleting a Deployment cascades to its ReplicaSets and pods', async () => {
    await applyText(node, deployment('keep', 2));
    assert.equal((await node.kubectl(['rollout', 'status', 'deployment/keep', '--timeout=90s'], { timeoutMs: 100_000 })).code, 0);
    const kept = await podNames(node, 'app=keep');
    assert.equal(await node.k('delete', 'deployment', 'keep', '--cascade=orphan'), 'deployment.apps "keep" deleted\n');
    await kubectlUntil(node, ['get', 'deploy', 'keep'], (r) => r.code !== 0);
    // The ReplicaSet was orphaned too (not deleted), so it keeps its pods.
    assert.deepEqual(await podNames(node, 'app=keep'), kept);
    assert.equal(await node.k('get', 'rs', '-l', 'app=keep', '-o', 'jsonpath={.items[0].metadata.ownerReferences}'), '');

    assert.equal(await node.k('delete', 'deployment', 'web'), 'deployment.apps "web" deleted\n');
    await kubectlUntil(node, ['get', 'rs,pods', '-l', 'app=web', '-o', 'name'], (r) => r.code === 0 && r.stdout.trim() === '', 90_000);
  });

  await t.test('a DaemonSet runs its one pod on the node, bound by the scheduler with the affinity the controller sets', async () => {
    const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: agent
        image: busybox:1.35
        command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;
    assert.equal(await applyText(node, ds), 'daemonset.apps/agent created\n');
    const status = await node.kubectl(['rollout', 'status', 'ds/agent', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /daemon set "agent" successfully rolled out\n$/);
    assert.match(await node.k('get', 'ds', 'agent'), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nagent\s+1\s+1\s+1\s+1\s+1\s+<none>\s+\d+s\n$/);
    const [pod] = await podNames(node, 'app=agent');
    assert.match(await node.k('get', 'pod', pod, '-o', 'jsonpath={.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key}'), /^metadata\.name$/);
    assert.equal(await node.k('delete', 'ds', 'agent'), 'daemonset.apps "agent" deleted\n');
    await kubectlUntil(node, ['get', 'pods', '-l', 'app=agent', '-o', 'name'], (r) => r.code === 0 && r.stdout.trim() === '', 60_000);
  });
});
