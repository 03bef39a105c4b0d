/**
 * `berth doctor` on this machine, and with prerequisites taken away for real:
 * in a private mount namespace (unshare -m) runc or the CNI plugins are
 * hidden behind bind mounts, so berth looks for them exactly as it always
 * does and does not find them. Also: a non-root user, and a busy port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeBin, run } from './harness.ts';
import { berth, berthEntry, cliSandbox } from './cli-fixture.ts';

/** `berth doctor` in a private mount namespace after `mounts` (shell commands) ran in it. */
function doctorWithout(env: NodeJS.ProcessEnv, mounts: string[]) {
  const script = [...mounts, `exec ${JSON.stringify(nodeBin)} ${JSON.stringify(berthEntry)} doctor`].join(' && ');
  return run('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { env, timeoutMs: 60_000 });
}

test('doctor finds everything berth needs on this machine', async (t) => {
  const { env } = cliSandbox(t);
  const r = await berth(['doctor', '--port', '0'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const line of [/^ok {4}Node\.js v2[4-9]\./m, /^ok {4}running as root$/m, /^ok {4}containerd \d/m, /^ok {4}runc \d/m, /^ok {4}CNI plugins bridge, host-local, loopback/m, /^ok {4}cgroups /m]) {
    assert.match(r.stdout, line);
  }
  assert.match(r.stdout, /\nberth can run pods on this machine/);
});

test('doctor names the package to install when runc is missing', async (t) => {
  const { env } = cliSandbox(t);
  const r = await doctorWithout(env, ['mount --bind /dev/null /usr/sbin/runc']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^FAIL {2}runc not found: install it with "apt-get install runc"$/m);
  assert.doesNotMatch(r.stdout, /^ok {4}runc/m);
  assert.match(r.stdout, /\n1 problem: berth cannot run pods until it is fixed\.\n$/);
});

test('doctor names the CNI package when the plugins are missing', async (t) => {
  const { env } = cliSandbox(t);
  const empty = mkdtempSync(join(tmpdir(), 'berth-nocni-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  const r = await doctorWithout(env, [`mount --bind ${empty} /usr/lib/cni`]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  for (const p of ['bridge', 'host-local', 'loopback']) {
    assert.match(r.stdout, new RegExp(`^FAIL {2}/usr/lib/cni/${p} not found: install it with "apt-get install containernetworking-plugins"$`, 'm'));
  }
  assert.match(r.stdout, /^warn {2}\/usr\/lib\/cni\/portmap not found: hostPort will not work/m);
  assert.match(r.stdout, /\n3 problems: berth cannot run pods until they are fixed\.\n$/);
});

test('doctor tells a non-root user to use sudo', async (t) => {
  const { env } = cliSandbox(t);
  const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', nodeBin, berthEntry, 'doctor', '--data-dir', '/tmp'], { env: { ...env, HOME: '/tmp' } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^FAIL {2}running as uid 65534: berth must run as root \(containerd and runc need it\): run it with "sudo"$/m);
});

test('doctor warns when the API server port is taken by another program', async (t) => {
  const { env } = cliSandbox(t);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const r = await berth(['doctor', '--port', String(port)], env);
  assert.equal(r.code, 0, 'a busy port is a warning: --port fixes it');
  assert.match(r.stdout, new RegExp(`^warn {2}port ${port} on 127\\.0\\.0\\.1 is in use by another program: start berth with "berth serve --port N" \\(0 picks a free port\\)$`, 'm'));
  assert.match(r.stdout, /berth can run pods on this machine \(1 warning above\)\./);
});
