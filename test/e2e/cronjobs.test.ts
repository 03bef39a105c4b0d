/**
 * batch/v1 CronJobs on containerd, driven by the real kubectl as on a
 * cluster: `kubectl create cronjob` (sent as protobuf) with kube-apiserver's
 * defaults, `get cronjob` with the cluster's columns, a schedule refused
 * with robfig/cron's words, `kubectl create job --from=cronjob/` making an
 * owned Job from the template (run by the Job controller), and the first
 * scheduled Job at the next minute boundary (the only real wait on the
 * clock), recorded in status and run to completion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { jsonpathUntil } from './kubectl-fixtures.ts';

test('kubectl runs batch/v1 CronJobs as on a cluster', async (t) => {
  const node = await BerthNode.start(t);
  t.after(() => node.destroy());
  /** The events of CronJob tick. */
  const cronJobEvents = async () =>
    (JSON.parse(await node.k('get', 'events', '-o', 'json')).items as { involvedObject: { kind: string; name: string }; reason: string; message: string; source: { component: string } }[])
      .filter((e) => e.involvedObject.kind === 'CronJob' && e.involvedObject.name === 'tick')
      .map((e) => ({ reason: e.reason, message: e.message, source: e.source.component }));

  await t.test('kubectl create cronjob stores a defaulted CronJob', async () => {
    assert.equal(await node.k('create', 'cronjob', 'tick', '--image=busybox:1.35', '--schedule=*/1 * * * *', '--', 'echo', 'tick'), 'cronjob.batch/tick created\n');
    const spec = JSON.parse(await node.k('get', 'cronjob', 'tick', '-o', 'jsonpath={.spec}'));
    assert.equal(spec.schedule, '*/1 * * * *');
    assert.equal(spec.concurrencyPolicy, 'Allow');
    assert.equal(spec.suspend, false);
    assert.equal(spec.successfulJobsHistoryLimit, 3);
    assert.equal(spec.failedJobsHistoryLimit, 1);
    assert.equal(spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
    assert.deepEqual(spec.jobTemplate.spec.template.spec.containers.map((c: { name: string; command: string[] }) => [c.name, c.command]), [['tick', ['echo', 'tick']]]);
  });

  await t.test('kubectl get cronjob prints printCronJob columns', async () => {
    assert.match(
      await node.k('get', 'cronjob', 'tick'),
      /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\ntick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+\d\s+(<none>|\d+s)\s+\d+s\n$/,
    );
    assert.match(
      await node.k('get', 'cj', 'tick', '-o', 'wide'),
      /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\ntick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+\d\s+(<none>|\d+s)\s+\d+s\s+tick\s+busybox:1\.35\s+<none>\n$/,
    );
  });

  await t.test('a bad schedule or time zone is refused with robfig/cron and Go texts', async () => {
    const bad = await node.kubectl(['create', 'cronjob', 'bad', '--image=busybox:1.35', '--schedule=bogus']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /CronJob\.batch "bad" is invalid: spec\.schedule: Invalid value: "bogus": expected exactly 5 fields, found 1: \[bogus\]/);
    const manifest = JSON.stringify({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'zoned' },
      spec: {
        schedule: '0 9 * * *',
        timeZone: 'Mars/Olympus',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] } } } },
      },
    });
    const zoned = await node.kubectl(['create', '-f', '-'], { input: manifest });
    assert.notEqual(zoned.code, 0);
    assert.match(zoned.stderr, /spec\.timeZone: Invalid value: "Mars\/Olympus": unknown time zone Mars\/Olympus/);
  });

  await t.test('kubectl create job --from=cronjob makes an owned Job from the template', async () => {
    assert.equal(await node.k('create', 'job', 'manual', '--from=cronjob/tick'), 'job.batch/manual created\n');
    const meta = JSON.parse(await node.k('get', 'job', 'manual', '-o', 'jsonpath={.metadata}'));
    assert.equal(meta.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    const uid = await node.k('get', 'cronjob', 'tick', '-o', 'jsonpath={.metadata.uid}');
    assert.deepEqual(
      meta.ownerReferences.map((r: { apiVersion: string; kind: string; name: string; uid: string; controller: boolean }) => [r.apiVersion, r.kind, r.name, r.uid, r.controller]),
      [['batch/v1', 'CronJob', 'tick', uid, true]],
    );
    // The Job controller runs it.
    const waited = await node.kubectl(['wait', '--for=condition=complete', 'job/manual', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(await node.k('logs', 'job/manual'), 'tick\n');
    assert.ok(
      (await cronJobEvents()).some((e) => e.reason === 'UnexpectedJob' && e.source === 'cronjob-controller' && e.message === 'Saw a job that the controller did not create or forgot: manual'),
    );
  });

  await t.test('the next minute boundary starts a Job named by the minute, recorded in status, run to completion', async () => {
    const last = await jsonpathUntil(node, ['cronjob', 'tick'], '{.status.lastScheduleTime}', (v) => v !== '', 90_000);
    const scheduled = Date.parse(last);
    assert.equal(scheduled % 60_000, 0, 'a minute boundary');
    const name = `tick-${scheduled / 60_000}`;
    const job = JSON.parse(await node.k('get', 'job', name, '-o', 'json'));
    assert.equal(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], last);
    assert.equal(job.metadata.ownerReferences[0].kind, 'CronJob');
    const waited = await node.kubectl(['wait', '--for=condition=complete', `job/${name}`, '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(await node.k('logs', `job/${name}`), 'tick\n');
    await jsonpathUntil(node, ['cronjob', 'tick'], '{.status.lastSuccessfulTime}', (v) => v !== '', 30_000);
    const events = (await cronJobEvents()).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(events.includes(`SuccessfulCreate: Created job ${name}`), events.join('\n'));
    assert.ok(events.includes(`SawCompletedJob: Saw completed job: ${name}, condition: Complete`), events.join('\n'));
    assert.match(await node.k('get', 'cronjob', 'tick'), /\ntick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+\d\s+\d+s\s+\d+s\n$/);
    const described = await node.k('describe', 'cronjob', 'tick');
    assert.match(described, /^Schedule:\s+\*\/1 \* \* \* \*$/m);
    assert.match(described, /^Concurrency Policy:\s+Allow$/m);
    assert.match(described, new RegExp(`Normal\\s+SuccessfulCreate\\s+\\S+\\s+cronjob-controller\\s+Created job ${name}`));
    // Suspend stops further Jobs, as `kubectl patch` does it.
    assert.equal(await node.k('patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}'), 'cronjob.batch/tick patched\n');
    assert.match(await node.k('get', 'cronjob', 'tick'), /\ntick\s+\*\/1 \* \* \* \*\s+<none>\s+True\s+/);
  });
});
