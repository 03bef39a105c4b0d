/**
 * batch/v1 Jobs on containerd, driven by the real kubectl as on a cluster:
 * a migration Job whose pod has an init container completes with
 * completions 3 / parallelism 2 (`kubectl wait --for=condition=complete`,
 * `get job` columns, `logs job/`), a failing Job stops after backoffLimit
 * with BackoffLimitExceeded (`wait --for=condition=failed`), an Indexed Job
 * gives each pod its JOB_COMPLETION_INDEX and hostname, `kubectl create job`
 * (sent as protobuf) runs once, a `kill -9` of berth mid-Job loses no
 * completion and makes no pod beyond completions and counted failures,
 * activeDeadlineSeconds fails a Job with DeadlineExceeded,
 * ttlSecondsAfterFinished deletes a finished one, and `kubectl delete job`
 * removes its pods.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthNode } from './harness.ts';
import { applyText, kubectlUntil } from './kubectl-fixtures.ts';

const migrate = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      initContainers:
      - name: wait-for-db
        image: busybox:1.35
        command: ["sh", "-c", "echo database is up > /work/db"]
        volumeMounts:
        - name: work
          mountPath: /work
      containers:
      - name: migrate
        image: busybox:1.35
        command: ["sh", "-c", "cat /work/db; echo migrated"]
        volumeMounts:
        - name: work
          mountPath: /work
      volumes:
      - name: work
        emptyDir: {}
`;

const failing = `apiVersion: batch/v1
kind: Job
metadata:
  name: broken
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: broken
        image: busybox:1.35
        command: ["sh", "-c", "echo failing; exit 1"]
`;

const indexed = `apiVersion: batch/v1
kind: Job
metadata:
  name: idx
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.35
        command: ["sh", "-c", "echo index=$JOB_COMPLETION_INDEX host=$(hostname)"]
`;

const slow = `apiVersion: batch/v1
kind: Job
metadata:
  name: slow
spec:
  completions: 4
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: work
        image: busybox:1.35
        command: ["sh", "-c", "sleep 4; echo done"]
`;

const deadline = `apiVersion: batch/v1
kind: Job
metadata:
  name: deadline
spec:
  activeDeadlineSeconds: 3
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: forever
        image: busybox:1.35
        command: ["sleep", "300"]
`;

const shortLived = `apiVersion: batch/v1
kind: Job
metadata:
  name: short
spec:
  ttlSecondsAfterFinished: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: short
        image: busybox:1.35
        command: ["true"]
`;

const jobPods = async (node: BerthNode, job: string): Promise<string[]> =>
  (await node.k('get', 'pods', '-l', `batch.kubernetes.io/job-name=${job}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}')).split('\n').filter(Boolean).sort();

test('kubectl runs batch/v1 Jobs as on a cluster', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
  // Assigned below; the cleanup finds it unset when the first start fails.
  let node!: BerthNode;
  t.after(async () => {
    if (node) await node.destroy();
    // A node that never started leaves its empty directory.
    rmSync(dataDir, { recursive: true, force: true });
  });
  node = await BerthNode.start(t, { dataDir });

  await t.test('a migration Job with an init container completes 3 of 3 with parallelism 2', async () => {
    assert.equal(await applyText(node, migrate), 'job.batch/migrate created\n');
    const waited = await node.kubectl(['wait', '--for=condition=complete', 'job/migrate', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(waited.stdout, 'job.batch/migrate condition met\n');
    assert.match(await node.k('get', 'job', 'migrate'), /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nmigrate\s+Complete\s+3\/3\s+\d+s\s+\d+s\n$/);
    assert.match(
      await node.k('get', 'job', 'migrate', '-o', 'wide'),
      /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nmigrate\s+Complete\s+3\/3\s+\d+s\s+\d+s\s+migrate\s+busybox:1\.35\s+batch\.kubernetes\.io\/controller-uid=[0-9a-f-]+\n$/,
    );
    const pods = await jobPods(node, 'migrate');
    assert.equal(pods.length, 3, 'one pod per completion, none extra');
    for (const p of pods) assert.match(p, /^migrate-[a-z0-9]{5}$/);
    assert.equal(await node.k('logs', 'job/migrate'), 'database is up\nmigrated\n');
    const status = JSON.parse(await node.k('get', 'job', 'migrate', '-o', 'jsonpath={.status}'));
    assert.equal(status.succeeded, 3);
    assert.deepEqual(status.uncountedTerminatedPods, {});
    assert.deepEqual(status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`), ['SuccessCriteriaMet=True', 'Complete=True']);
    const finalizers = await node.k('get', 'pods', '-l', 'batch.kubernetes.io/job-name=migrate', '-o', 'jsonpath={.items[*].metadata.finalizers}');
    assert.equal(finalizers, '', 'tracking finalizers removed once counted');
    assert.match(await node.k('describe', 'job', 'migrate'), /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
    // The generated selector and labels are the server's: applying the manifest again changes nothing.
    assert.equal(await applyText(node, migrate), 'job.batch/migrate unchanged\n');
    const labels = JSON.parse(await node.k('get', 'job', 'migrate', '-o', 'jsonpath={.metadata.labels}'));
    assert.deepEqual(Object.keys(labels).sort(), ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name']);
  });

  await t.test('a failing Job stops after backoffLimit with BackoffLimitExceeded', async () => {
    await applyText(node, failing);
    const waited = await node.kubectl(['wait', '--for=condition=failed', 'job/broken', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(await node.k('get', 'job', 'broken', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}'), 'BackoffLimitExceeded');
    assert.equal(await node.k('get', 'job', 'broken', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].message}'), 'Job has reached the specified backoff limit');
    assert.equal(await node.k('get', 'job', 'broken', '-o', 'jsonpath={.status.failed}'), '2');
    assert.equal((await jobPods(node, 'broken')).length, 2, 'the first try and one retry');
    assert.match(await node.k('get', 'job', 'broken'), /\nbroken\s+Failed\s+0\/1\s+\d+s\s+\d+s\n$/);
  });

  await t.test('an Indexed Job gives each pod its index and hostname', async () => {
    await applyText(node, indexed);
    const waited = await node.kubectl(['wait', '--for=condition=complete', 'job/idx', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(await node.k('get', 'job', 'idx', '-o', 'jsonpath={.status.completedIndexes}'), '0-2');
    const pods = await jobPods(node, 'idx');
    assert.equal(pods.length, 3);
    const lines: string[] = [];
    for (const [i, p] of pods.entries()) {
      assert.match(p, new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
      lines.push((await node.k('logs', p)).trim());
    }
    assert.deepEqual(lines, ['index=0 host=idx-0', 'index=1 host=idx-1', 'index=2 host=idx-2']);
  });

  await t.test('kubectl create job runs a one-off Job', async () => {
    assert.equal(await node.k('create', 'job', 'once', '--image=busybox:1.35', '--', 'echo', 'hi'), 'job.batch/once created\n');
    const waited = await node.kubectl(['wait', '--for=condition=complete', 'job/once', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(await node.k('logs', 'job/once'), 'hi\n');
    assert.equal(await node.k('get', 'job', 'once', '-o', 'jsonpath={.spec.template.spec.restartPolicy}'), 'Never');
  });

  await t.test('a kill -9 of berth mid-Job loses no completion and makes no pod beyond completions and counted failures', async () => {
    await applyText(node, slow);
    await kubectlUntil(node, ['get', 'job', 'slow', '-o', 'jsonpath={.status.succeeded}'], (r) => r.stdout !== '' && Number(r.stdout) >= 1, 120_000);
    await node.kill9();
    // Pods finish while berth is down; their results must still be counted once.
    await new Promise((r) => setTimeout(r, 5000));
    node = await BerthNode.start(t, { dataDir });
    const waited = await node.kubectl(['wait', '--for=condition=complete', 'job/slow', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(waited.code, 0, waited.stderr);
    const rows = (await node.k('get', 'pods', '-l', 'batch.kubernetes.io/job-name=slow', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}'))
      .split('\n')
      .filter(Boolean);
    const status = JSON.parse(await node.k('get', 'job', 'slow', '-o', 'jsonpath={.status}'));
    assert.equal(status.succeeded, 4, JSON.stringify(status));
    assert.equal(rows.filter((r) => r.endsWith(' Succeeded')).length, 4, `exactly completions pods succeeded:\n${rows.join('\n')}`);
    // A container start cut short by the kill fails its pod (StartError); each failure is counted and replaced once, nothing more.
    assert.equal(rows.length, 4 + (status.failed ?? 0), `one pod per completion plus one per counted failure:\n${rows.join('\n')}\n${JSON.stringify(status)}`);
    assert.equal(rows.filter((r) => r.endsWith(' Failed')).length, status.failed ?? 0);
  });

  await t.test('a Job past activeDeadlineSeconds fails with DeadlineExceeded and its pod is stopped', async () => {
    await applyText(node, deadline);
    const waited = await node.kubectl(['wait', '--for=condition=failed', 'job/deadline', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(await node.k('get', 'job', 'deadline', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}'), 'DeadlineExceeded');
    assert.equal(await node.k('get', 'job', 'deadline', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].message}'), 'Job was active longer than specified deadline');
    await kubectlUntil(node, ['get', 'pods', '-l', 'batch.kubernetes.io/job-name=deadline', '-o', 'name'], (r) => r.code === 0 && r.stdout === '', 60_000);
  });

  await t.test('a finished Job with ttlSecondsAfterFinished is deleted with its pods', async () => {
    await applyText(node, shortLived);
    await kubectlUntil(node, ['get', 'jobs', '-o', 'name'], (r) => r.code === 0 && !r.stdout.includes('job.batch/short\n'), 90_000);
    await kubectlUntil(node, ['get', 'pods', '-l', 'batch.kubernetes.io/job-name=short', '-o', 'name'], (r) => r.code === 0 && r.stdout === '', 60_000);
  });

  await t.test('kubectl delete job removes its pods', async () => {
    assert.ok((await jobPods(node, 'migrate')).length > 0);
    assert.equal(await node.k('delete', 'job', 'migrate'), 'job.batch "migrate" deleted\n');
    await kubectlUntil(node, ['get', 'pods', '-l', 'batch.kubernetes.io/job-name=migrate', '-o', 'name'], (r) => r.code === 0 && r.stdout === '', 60_000);
  });
});
