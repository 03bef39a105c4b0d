/**
 * The node commands end to end: serve --detach, kubeconfig (print, --path,
 * --merge), play on the running default node, down (state kept, --purge,
 * after berth was killed), images (list, load, pull, rm, with and without a
 * running node), and --help and misuse for every command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kubectlBin, processesUsing, repoRoot, run } from './harness.ts';
import { berth, cliSandbox, leftovers, startPlay } from './cli-fixture.ts';

const sleeper = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: busybox:1.35
    command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait']
`;

function kubectl(kubeconfig: string, args: string[], input?: string) {
  return run(kubectlBin, args, { env: { KUBECONFIG: kubeconfig }, input });
}

test('serve --detach, kubeconfig, play on the running node, down keeping state, serve again, down --purge', async (t) => {
  const { dir, env } = cliSandbox(t);
  const dataDir = join(dir, 'default-node');

  const up = await berth(['serve', '--detach'], env);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, `berth is ready: export KUBECONFIG=${dataDir}/kubeconfig\n`);
  assert.match(up.stderr, /^berth: containerd ready \(\d+ ms\)$/m, 'a progress line per start-up step');
  assert.match(up.stderr, /^berth: serving in the background \(pid \d+, output in .*serve\.log\); stop it with "berth down"$/m);
  const again = await berth(['serve', '--detach'], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /berth serve is already running on .* \(pid \d+\)/);

  const path = await berth(['kubeconfig', '--path'], env);
  assert.equal(path.stdout, `${dataDir}/kubeconfig\n`);
  const printed = await berth(['kubeconfig'], env);
  assert.equal(printed.stdout, readFileSync(join(dataDir, 'kubeconfig'), 'utf8'));
  assert.equal(statSync(join(dataDir, 'kubeconfig')).mode & 0o777, 0o600);
  const kc = join(dataDir, 'kubeconfig');
  assert.equal((await kubectl(kc, ['create', 'configmap', 'settings', '--from-literal=mode=demo'])).code, 0);

  // With a node serving the default data directory, play uses it and leaves the pod there.
  const play = startPlay(t, ['-f', '-'], env, { input: sleeper('on-default') });
  assert.equal(await play.exit(), 0, play.text);
  assert.match(play.text, /! berth: using https:\/\/127\.0\.0\.1:\d+ \(context "berth" from the node serving .*default-node\)/);

  const down = await berth(['down'], env);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stderr, /^berth: deleting 1 pod$/m);
  assert.match(down.stdout, new RegExp(`^berth is down: 1 pod deleted, berth stopped, state kept in ${dataDir} \\(\\d+ ms\\)$`, 'm'));
  assert.deepEqual(processesUsing(dataDir), []);
  assert.ok(existsSync(join(dataDir, 'state.db')));

  const up2 = await berth(['serve', '--detach'], env);
  assert.equal(up2.code, 0, up2.stderr);
  assert.equal((await kubectl(kc, ['get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}'])).stdout, 'demo', 'state survived');
  assert.equal((await kubectl(kc, ['get', 'pods', '-o', 'name'])).stdout, '', 'no pods');

  const purge = await berth(['down', '--purge'], env);
  assert.equal(purge.code, 0, purge.stderr);
  assert.match(purge.stdout, new RegExp(`^berth is down: no pods, berth stopped, ${dataDir} removed`, 'm'));
  assert.deepEqual(leftovers(dataDir), []);
  const nothing = await berth(['down'], env);
  assert.equal(nothing.code, 0);
  assert.match(nothing.stderr, /nothing to do: .* does not exist/);
});

test('down cleans up after berth was killed: the pod sandboxes go through containerd directly', async (t) => {
  const { dir, env } = cliSandbox(t);
  const dataDir = join(dir, 'default-node');
  assert.equal((await berth(['serve', '--detach'], env)).code, 0);
  const kc = join(dataDir, 'kubeconfig');
  assert.equal((await kubectl(kc, ['apply', '-f', '-'], sleeper('orphan'))).code, 0);
  assert.equal((await kubectl(kc, ['wait', '--for=condition=Ready', 'pod/orphan', '--timeout=60s'])).code, 0);
  const pid = Number(readFileSync(join(dataDir, 'berth.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}/stat`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(processesUsing(dataDir).length > 0, 'containerd and the shims outlive a killed berth');

  const down = await berth(['down', '--purge'], env);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /^berth is down: no pods, berth was not running, \d+ sandbox(es)? removed directly, .* removed/m);
  assert.deepEqual(leftovers(dataDir), []);
});

test('kubeconfig --merge adds a berth context to an existing kubeconfig and keeps the others', async (t) => {
  const { dir, env } = cliSandbox(t);
  assert.equal((await berth(['serve', '--detach'], env)).code, 0);
  const target = join(dir, 'home-config');
  writeFileSync(
    target,
    '# mine\napiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster: {server: "https://prod.example:6443"}\nusers:\n- name: prod\n  user: {token: p}\ncontexts:\n- name: prod\n  context: {cluster: prod, user: prod}\ncurrent-context: prod\n',
    { mode: 0o644 },
  );
  const m = await berth(['kubeconfig', '--merge', '--into', target], env);
  assert.equal(m.code, 0, m.stderr);
  assert.equal(m.stdout, `added context "berth" in ${target}\nuse it with: kubectl config use-context berth   (or kubectl --context berth ...)\n`);
  const doc = parse(readFileSync(target, 'utf8'));
  assert.deepEqual(doc.contexts.map((c: any) => c.name), ['prod', 'berth']);
  assert.equal(doc['current-context'], 'prod');
  assert.equal(statSync(target).mode & 0o777, 0o600, 'a kubeconfig with a token becomes private');
  const ns = await run(kubectlBin, ['--kubeconfig', target, '--context', 'berth', 'get', 'namespace', 'default', '-o', 'name']);
  assert.equal(ns.stdout, 'namespace/default\n', ns.stderr);

  const use = await berth(['kubeconfig', '--merge', '--into', target, '--use'], env);
  assert.match(use.stdout, /^updated context "berth" in .*\ncurrent context is now "berth"\n$/);
  assert.equal(parse(readFileSync(target, 'utf8'))['current-context'], 'berth');
  assert.equal((await berth(['down', '--purge'], env)).code, 0);
});

test('images lists, loads, pulls and removes, with the node running and without it', async (t) => {
  const { dir, env } = cliSandbox(t);
  const dataDir = join(dir, 'default-node');
  // No node yet: list says so; load starts a containerd for the command.
  const none = await berth(['images'], env);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no berth node in .*default-node/);
  const load = await berth(['images', 'load', join(repoRoot, 'images/busybox-1.35.tar')], env);
  assert.equal(load.code, 0, load.stderr);
  assert.match(load.stderr, /no node is running on .*; starting its containerd for this command/);
  assert.match(load.stdout, /^loaded docker\.io\/library\/busybox:1\.35 from .*busybox-1\.35\.tar in \d+\.\d s$/m);
  assert.deepEqual(processesUsing(dataDir), [], 'the temporary containerd is stopped');
  const offline = await berth(['images', 'list'], env);
  assert.match(offline.stdout, /^IMAGE\s+TAG\s+IMAGE ID\s+SIZE\ndocker\.io\/library\/busybox\s+1\.35\s+[0-9a-f]{13}\s+\d+(\.\d+)?[kM]B$/m);

  // With the node running: through its containerd.
  assert.equal((await berth(['serve', '--detach'], env)).code, 0);
  const list = await berth(['images'], env);
  assert.equal(list.code, 0, list.stderr);
  assert.doesNotMatch(list.stderr, /starting its containerd/);
  assert.match(list.stdout, /^berth\.local\/pause\s+catatonit\s/m);
  const pull = await berth(['images', 'pull', '127.0.0.1:1/nothing:1.0'], env);
  assert.equal(pull.code, 1);
  assert.match(pull.stderr, /^berth: pulling 127\.0\.0\.1:1\/nothing:1\.0$/m);
  assert.match(pull.stderr, /^berth: pull 127\.0\.0\.1:1\/nothing:1\.0: .*connection refused/m);
  const rm = await berth(['images', 'rm', 'docker.io/library/busybox:1.35'], env);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout, 'deleted docker.io/library/busybox:1.35\n');
  assert.doesNotMatch((await berth(['images'], env)).stdout, /busybox\s+1\.35/);
  const rmAgain = await berth(['images', 'rm', 'docker.io/library/busybox:1.35'], env);
  assert.equal(rmAgain.code, 1);
  assert.match(rmAgain.stderr, /remove image docker\.io\/library\/busybox:1\.35: no such image/);
  assert.equal((await berth(['down', '--purge'], env)).code, 0);
  assert.deepEqual(leftovers(dataDir), []);
});

test('the berth process exits 0 for --help, 2 for misuse and 1 for a failure (the cases are in src/cli/cli.test.ts)', async (t) => {
  const { env } = cliSandbox(t);
  const help = await berth(['--help'], env);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: berth <command> \[flags\]$/m);
  const misuse = await berth(['down', '--grace-period', 'soon'], env);
  assert.equal(misuse.code, 2);
  assert.equal(misuse.stderr, 'berth: --grace-period must be a whole number of seconds, not "soon"\nRun "berth down --help" for usage.\n');
  const noNode = await berth(['kubeconfig'], env);
  assert.equal(noNode.code, 1);
  assert.match(noNode.stderr, /no kubeconfig in .*default-node: the node has not been ready there yet; start it with "berth serve"/);
});
