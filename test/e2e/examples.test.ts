/**
 * Every manifest in examples/ runs offline through `berth play` on an
 * ephemeral node: the exit code and the lines a user relies on are
 * asserted, and the ephemeral node must be gone afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { kubectlBin, repoRoot, run } from './harness.ts';
import { berth, cliSandbox, leftovers, startPlay, type BerthRun } from './cli-fixture.ts';

const examples = join(repoRoot, 'examples');
const covered = new Set<string>();

function example(name: string): string {
  covered.add(name);
  return join(examples, `${name}.yaml`);
}

const kubiaInit = example('kubia-init');
const kubiaInitSlow = example('kubia-init-slow');
const initDemo = example('init-demo');
const waitForService = example('wait-for-service');
const waitForHost = example('wait-for-host');
const secretInitOnly = example('secret-init-only');
const sidecar = example('sidecar');
const initFailsNever = example('init-fails-never');
const webDeployment = example('web-deployment');
const deploymentCrashloop = example('deployment-crashloop');
const migrateJob = example('migrate-job');
const jobFails = example('job-fails');
const myappPod = example('myapp-pod');

/** Indexes of the first lines matching each pattern, which must all exist. */
function order(r: BerthRun, ...patterns: RegExp[]): number[] {
  return patterns.map((re) => {
    const i = r.all.findIndex((l) => re.test(l));
    assert.notEqual(i, -1, `no line matches ${re}:\n${r.text}`);
    return i;
  });
}

function assertRemoved(r: BerthRun): void {
  const dir = r.ephemeralDir;
  assert.ok(dir, `no ephemeral node was started:\n${r.text}`);
  assert.match(r.text, /! berth: ephemeral node removed/);
  assert.deepEqual(leftovers(dir), [], 'the ephemeral node left something behind');
}

function ascending(xs: number[], what: string): void {
  assert.deepEqual([...xs].sort((a, b) => a - b), xs, what);
}

test('kubia-init plays to Running, showing the STATUS transitions, events and both init containers\' logs', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', kubiaInit], env);
  assert.equal(await r.exit(), 0, r.text);
  assert.match(r.text, /^pod\/kubia-init created$/m);
  ascending(
    order(
      r,
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/,
      /^kubia-init\s+0\/2\s+Init:0\/2\s/,
      /^\[pod\/kubia-init\/init-demo\] init-demo: step 1 of 5$/,
      /^\[pod\/kubia-init\/init-demo\] init-demo: step 5 of 5$/,
      /^kubia-init\s+0\/2\s+Init:1\/2\s/,
      /^\[pod\/kubia-init\/network-check\] network-check: gateway 10\.244\.0\.1 reachable, pod network is up$/,
      /^kubia-init\s+2\/2\s+Running\s/,
      /^pod\/kubia-init Running \(2\/2 ready\) after \d+\.\d s$/,
    ),
    'the live view follows the pod in order',
  );
  assert.match(r.text, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
  assert.match(r.text, /Normal\s+Scheduled\s+pod\/kubia-init\s+Successfully assigned default\/kubia-init to /);
  assert.match(r.text, /Normal\s+Started\s+pod\/kubia-init\s+Started container envoy/);
  assert.match(r.text, /! berth: seed images imported/);
  assertRemoved(r);
});

test('kubia-init-slow waits in its init container until kubectl exec tells it to finish', async (t) => {
  const { env } = cliSandbox(t);
  const started = Date.now();
  const r = startPlay(t, ['-f', kubiaInitSlow], env);
  await r.waitFor(/\[pod\/kubia-init-slow\/init-slow\] init-slow: waiting up to 60 s/);
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(await r.waitFor(/while this runs: export KUBECONFIG=/))![1];
  assert.match(r.text, /^kubia-init-slow\s+0\/1\s+Init:0\/1\s/m);
  const exec = await run(kubectlBin, ['exec', 'kubia-init-slow', '-c', 'init-slow', '--', 'touch', '/tmp/done'], { env: { KUBECONFIG: kubeconfig } });
  assert.equal(exec.code, 0, `kubectl exec into the running init container: ${exec.stderr}`);
  assert.equal(await r.exit(), 0, r.text);
  const done = /init-slow: done after (\d+) s/.exec(r.text);
  assert.ok(done, r.text);
  assert.ok(Number(done[1]) < 50 && Date.now() - started < 55_000, `init-slow finished because of the exec, not its own timeout:\n${r.text}`);
  assert.match(r.text, /^pod\/kubia-init-slow Running \(1\/1 ready\)/m);
  assertRemoved(r);
});

test('init-demo serves what its init container wrote into the shared emptyDir, and --keep leaves the node to look at', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['--keep', '-f', initDemo], env);
  assert.equal(await r.exit(), 0, r.text);
  assert.match(r.text, /^\[pod\/init-demo\/install\] install: wrote \/work-dir\/index\.html \(39 bytes\)$/m);
  assert.match(r.text, /^pod\/init-demo Running \(1\/1 ready\)/m);
  const kubeconfig = /^the node keeps running: export KUBECONFIG=(\S+)$/m.exec(r.text)?.[1];
  const downLine = /^remove it with: berth down --data-dir (\S+) --purge$/m.exec(r.text);
  assert.ok(kubeconfig && downLine, r.text);
  const ip = await run(kubectlBin, ['get', 'pod', 'init-demo', '-o', 'jsonpath={.status.podIP}'], { env: { KUBECONFIG: kubeconfig } });
  assert.match(ip.stdout, /^10\.244\.\d+\.\d+$/, ip.stderr);
  const page = await fetch(`http://${ip.stdout}/`);
  assert.equal((await page.text()).trim(), '<h1>Hello from the init container</h1>');

  const down = await berth(['down', '--data-dir', downLine[1], '--purge'], env);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /^berth is down: 1 pod deleted, berth stopped, .* removed \(\d+ ms\)$/m);
  assert.deepEqual(leftovers(downLine[1]), []);
});

test('wait-for-service: the app\'s init container waits until the db Service answers, found through cluster DNS', async (t) => {
  const { env } = cliSandbox(t);
  // The ephemeral node waits for the machine's service network if another test's node holds it.
  const r = startPlay(t, ['-f', waitForService], { ...env, BERTH_SERVICE_NETWORK_WAIT_MS: '240000' });
  assert.equal(await r.exit(), 0, r.text);
  assert.match(r.text, /^service\/db created$/m);
  ascending(
    order(
      r,
      /^\[pod\/app\/wait-for-db\] wait-for-db: db:5432 does not answer yet$/,
      /^\[pod\/db\/prepare\] prepare: done$/,
      /^\[pod\/app\/wait-for-db\] wait-for-db: db:5432 answers$/,
      /Started\s+pod\/app\s+Started container web/,
    ),
    'the app starts only after the database answers',
  );
  assert.match(r.text, /^pod\/db Running \(1\/1 ready\)/m);
  assert.match(r.text, /^pod\/app Running \(1\/1 ready\)/m);
  assertRemoved(r);
});

test('wait-for-host: the init container waits until a process on the host listens', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', waitForHost], env);
  await r.waitFor(/wait-for-host: 10\.244\.0\.1:8765 does not answer yet/);
  const server = createServer((s) => s.end());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(8765, '0.0.0.0', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  assert.equal(await r.exit(), 0, r.text);
  ascending(order(r, /does not answer yet/, /wait-for-host: 10\.244\.0\.1:8765 answers$/, /^pod\/wait-for-host Running \(1\/1 ready\)/), 'order');
  assertRemoved(r);
});

test('secret-init-only: the init container reads the secret, the app container cannot see it', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', secretInitOnly], env);
  assert.equal(await r.exit(), 0, r.text);
  assert.match(r.text, /^secret\/db-credentials created$/m);
  assert.match(r.text, /^\[pod\/secret-init-only\/setup\] setup: read the database password \(16 bytes\) from \/etc\/credentials$/m);
  assert.match(r.text, /^\[pod\/secret-init-only\/app\] app: \/etc\/credentials does not exist here: the secret stayed with the init container$/m);
  assert.match(r.text, /^pod\/secret-init-only Succeeded after/m);
  assert.doesNotMatch(r.text, /init-only-s3cret/, 'the secret value never shows');
  assertRemoved(r);
});

test('sidecar: the native sidecar starts first, ships the job\'s lines, and is stopped when the job completes', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', sidecar], env);
  assert.equal(await r.exit(), 0, r.text);
  ascending(
    order(
      r,
      /Started\s+pod\/sidecar\s+Started container log-shipper/,
      /Started\s+pod\/sidecar\s+Started container job/,
      /^sidecar\s+2\/2\s+Running\s/,
      /^\[pod\/sidecar\/log-shipper\] log-shipper: shipped: job: step 3 of 3$/,
      /^pod\/sidecar Succeeded after/,
    ),
    'sidecar before job, both running, then completion',
  );
  assertRemoved(r);
});

test('init-fails-never: the pod fails with Init:Error and play shows the reason and the last log lines', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', initFailsNever], env);
  assert.equal(await r.exit(), 1, r.text);
  assert.match(r.text, /^init-fails-never\s+0\/1\s+Init:Error\s+0\s/m);
  assert.match(r.text, /^pod\/init-fails-never failed after \d+\.\d s: Init:Error: init container "migrate" exit code 3, Error$/m);
  assert.match(r.text, /^last 2 log lines of init-fails-never\/migrate:\n {2}migrate: .*\n {2}migrate: /m);
  assert.match(r.text, /^ {2}migrate: cannot reach the database, giving up$/m);
  assert.doesNotMatch(r.text, /Started container app/, 'the app container never starts');
  assertRemoved(r);
});

for (const policy of ['always', 'onfailure']) {
  const file = example(`init-fails-${policy}`);
  test(`init-fails-${policy}: the init container is restarted until it crash-loops, and play fails with Init:CrashLoopBackOff`, async (t) => {
    const { env } = cliSandbox(t);
    const r = startPlay(t, ['-f', file], env);
    assert.equal(await r.exit(), 1, r.text);
    assert.match(r.text, new RegExp(`^init-fails-${policy}\\s+0/1\\s+Init:Error\\s`, 'm'));
    assert.match(r.text, new RegExp(`^init-fails-${policy}\\s+0/1\\s+Init:CrashLoopBackOff\\s`, 'm'));
    assert.match(r.text, new RegExp(`Warning\\s+BackOff\\s+pod/init-fails-${policy}\\s+Back-off restarting failed container migrate`));
    assert.match(
      r.text,
      new RegExp(`^pod/init-fails-${policy} failed after \\d+\\.\\d s: Init:CrashLoopBackOff: init container "migrate" is waiting: CrashLoopBackOff \\(last run exit code 3, Error, restarted \\d+ times?\\)$`, 'm'),
    );
    assert.match(r.text, /^ {2}migrate: cannot reach the database, giving up$/m);
    assert.doesNotMatch(r.text, /Started container app/);
    assertRemoved(r);
  });
}

test('web-deployment: play waits for the rollout, showing each replica\'s init container and the rollout\'s events', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', webDeployment], env);
  assert.equal(await r.exit(), 0, r.text);
  assert.match(r.text, /^deployment\.apps\/web created$/m);
  assert.match(r.text, /^service\/web created$/m);
  assert.match(r.text, /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-\S+ (from 0 )?to 2/);
  assert.match(r.text, /Normal\s+SuccessfulCreate\s+replicaset\/web-\S+\s+Created pod: web-\S+/);
  const rendered = r.all.filter((l) => /^\[pod\/web-\S+\/render\] render: wrote \/www\/index\.html for web-\S+$/.test(l));
  assert.equal(rendered.length, 2, r.text);
  assert.match(r.text, /^web-\S+\s+0\/1\s+Init:0\/1\s/m);
  assert.match(r.text, /^deployment\.apps\/web successfully rolled out \(2\/2 available\) after \d+\.\d s$/m);
  assertRemoved(r);
});

test('deployment-crashloop: play fails with the crash-looping pod\'s reason and its last log lines', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', deploymentCrashloop], env);
  assert.equal(await r.exit(), 1, r.text);
  assert.match(
    r.text,
    /^deployment\.apps\/api failed after \d+\.\d s: CrashLoopBackOff: pod\/api-\S+: container "api" is waiting: CrashLoopBackOff \(last run exit code 2, Error, restarted \d+ times?\)$/m,
  );
  assert.match(r.text, /^last 2 log lines of api-\S+\/api:\n {2}api: reading configuration\n {2}api: DATABASE_URL is not set$/m);
  assertRemoved(r);
});

test('migrate-job: play waits until the Job is Complete, showing its init container and the migration', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', migrateJob], env);
  assert.equal(await r.exit(), 0, r.text);
  assert.match(r.text, /^job\.batch\/migrate created$/m);
  ascending(
    order(
      r,
      /^\[pod\/migrate-\S+\/preflight\] preflight: schema version 41, target 42$/,
      /^\[pod\/migrate-\S+\/migrate\] migrate: applying step 1 of 3$/,
      /^\[pod\/migrate-\S+\/migrate\] migrate: schema at version 42$/,
      /^job\.batch\/migrate completed \(1\/1\) after \d+\.\d s$/,
    ),
    'init container, then the migration, then completion',
  );
  assert.match(r.text, /Normal\s+SuccessfulCreate\s+job\/migrate\s+Created pod: migrate-\S+/);
  assertRemoved(r);
});

test('job-fails: play fails with BackoffLimitExceeded and the last attempt\'s log lines', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', jobFails], env);
  assert.equal(await r.exit(), 1, r.text);
  assert.match(r.text, /^job\.batch\/seed-data failed after \d+\.\d s: BackoffLimitExceeded: job "seed-data" failed: Job has reached the specified backoff limit$/m);
  assert.match(r.text, /^last 2 log lines of seed-data-\S+\/seed:\n {2}seed: loading fixtures\n {2}seed: table users does not exist$/m);
  assertRemoved(r);
});

test('myapp-pod: the kubernetes.io init containers example plays to Running once its Services exist (play applies them first)', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', myappPod], { ...env, BERTH_SERVICE_NETWORK_WAIT_MS: '240000' });
  assert.equal(await r.exit(), 0, r.text);
  assert.match(r.text, /^service\/myservice created$/m);
  assert.match(r.text, /^service\/mydb created$/m);
  ascending(
    order(r, /Started\s+pod\/myapp-pod\s+Started container init-myservice/, /Started\s+pod\/myapp-pod\s+Started container init-mydb/, /Started\s+pod\/myapp-pod\s+Started container myapp-container/, /^pod\/myapp-pod Running \(1\/1 ready\)/),
    'both init containers, then the app',
  );
  assertRemoved(r);
});

test('every example has a test here and a comment header saying what it shows', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
  assert.deepEqual(files.filter((f) => !covered.has(f)), [], 'examples without a test');
  for (const f of files) {
    const head = readFileSync(join(examples, `${f}.yaml`), 'utf8').split('\n');
    assert.match(head[0], new RegExp(`^# ${f} — \\S`), `${f}.yaml starts with "# ${f} — what it shows"`);
    assert.ok(head.slice(1).findIndex((l) => !l.startsWith('#')) >= 2, `${f}.yaml has a header of several comment lines`);
  }
});
