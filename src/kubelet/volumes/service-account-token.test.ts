import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { ConfigMap, Pod } from '../../api/api.ts';
import { FakeClock } from '../../clock/fake-clock.ts';
import { tokenVolumeSource } from '../../api/core/serviceaccount/serviceaccount-admission.ts';
import type { Mounter } from './mount-table.ts';
import { ServiceAccountTokenManager, type RequestServiceAccountToken } from './service-account-token.ts';
import { VolumeManager } from './volumes.ts';

const T0 = Date.UTC(2026, 0, 1);
const pod: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
  spec: { serviceAccountName: 'bot', containers: [{ name: 'app', image: 'busybox:1.35' }] },
};

/** A TokenRequest stand-in: numbered tokens, expiring expirationSeconds after the clock's now. */
function issuer(clock: FakeClock) {
  const requests: { ns: string; sa: string; req: TokenRequest }[] = [];
  let failing: Error | undefined;
  const request: RequestServiceAccountToken = async (ns, sa, req) => {
    if (failing) throw failing;
    requests.push({ ns, sa, req });
    const exp = new Date(clock.now() + (req.spec.expirationSeconds ?? 3600) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    return { ...req, status: { token: `token-${requests.length}`, expirationTimestamp: exp } };
  };
  return { request, requests, fail: (e: Error | undefined) => (failing = e) };
}

test('the token manager requests a pod-bound token and reuses it until 80 % of its life has passed', async () => {
  const clock = new FakeClock(T0);
  const iss = issuer(clock);
  const m = new ServiceAccountTokenManager({ request: iss.request, clock, random: () => 0 });
  const source = { path: 'token', expirationSeconds: 3607 };
  assert.equal(await m.token(pod, source), 'token-1');
  assert.deepEqual(iss.requests[0], {
    ns: 'default',
    sa: 'bot',
    req: { spec: { audiences: [], expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'uid-1' } } },
  });
  // 20 % of 3607 s is 721 s: refreshed after 2886 s.
  clock.step(T0 + 2886_000 - clock.now());
  assert.equal(await m.token(pod, source), 'token-1');
  clock.step(T0 + 2887_000 - clock.now());
  assert.equal(await m.token(pod, source), 'token-2');
  assert.equal(await m.token(pod, { path: 'vault', audience: 'vault', expirationSeconds: 3607 }), 'token-3', 'another audience, another token');
  assert.deepEqual(iss.requests[2].req.spec.audiences, ['vault']);
});

test('the token manager refreshes a long-lived token after 24 hours, jitter included', async () => {
  const clock = new FakeClock(T0);
  const iss = issuer(clock);
  const m = new ServiceAccountTokenManager({ request: iss.request, clock, random: () => 0.99 });
  const week = { path: 'token', expirationSeconds: 7 * 86400 };
  await m.token(pod, week);
  clock.step(86400_000 - 8_000);
  assert.equal(m.requiresRefresh({ spec: { audiences: [], expirationSeconds: 7 * 86400 }, status: { token: '', expirationTimestamp: new Date(T0 + 7 * 86400_000).toISOString() } }), true);
  assert.equal(await m.token(pod, week), 'token-2');
});

test('the token manager keeps a cached token when a refresh fails, until it expires', async () => {
  const clock = new FakeClock(T0);
  const iss = issuer(clock);
  const m = new ServiceAccountTokenManager({ request: iss.request, clock, random: () => 0 });
  const source = { path: 'token', expirationSeconds: 600 };
  iss.fail(new Error('serviceaccounts "bot" not found'));
  await assert.rejects(m.token(pod, source), { message: 'failed to fetch token: serviceaccounts "bot" not found' });
  iss.fail(undefined);
  assert.equal(await m.token(pod, source), 'token-1');
  iss.fail(new Error('down'));
  clock.step(T0 + 500_000 - clock.now());
  assert.equal(await m.token(pod, source), 'token-1');
  m.forgetPod('uid-1');
  await assert.rejects(m.token(pod, source), /^Error: failed to fetch token: down$/);
});

class FakeMounter implements Mounter {
  mounts = new Set<string>();
  async mountTmpfs(dir: string) {
    this.mounts.add(dir);
  }
  async bind() {}
  async unmount(target: string) {
    this.mounts.delete(target);
  }
  async mountPointsUnder(dir: string) {
    return [...this.mounts].filter((m) => m === dir || m.startsWith(`${dir}/`));
  }
}

test('VolumeManager projects kube-api-access: the pod-bound token, ca.crt and namespace, the token rotated on the clock', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'berth-sa-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const clock = new FakeClock(T0);
  const iss = issuer(clock);
  const ca: ConfigMap = { metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': 'CA PEM' } };
  const vm = new VolumeManager({
    podsRoot: join(root, 'pods'),
    config: {
      getConfigMap: (ns, n) => (ns === 'default' && n === 'kube-root-ca.crt' ? ca : undefined),
      getSecret: () => undefined,
      createServiceAccountToken: iss.request,
    },
    nodeAllocatable: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '0' },
    clock,
    mounter: new FakeMounter(),
  });
  const p: Pod = { ...pod, spec: { ...pod.spec!, volumes: [{ name: 'kube-api-access-abcde', projected: tokenVolumeSource() }] } };
  const vols = await vm.setUp(p, () => {});
  const dir = vols.get('kube-api-access-abcde')!.hostPath;
  assert.equal(await readFile(join(dir, 'token'), 'utf8'), 'token-1');
  assert.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), 'CA PEM');
  assert.equal(await readFile(join(dir, 'namespace'), 'utf8'), 'default');
  assert.equal((await stat(join(dir, 'token'))).mode & 0o777, 0o644);
  assert.equal(iss.requests[0].req.spec.boundObjectRef?.uid, 'uid-1');
  clock.step(T0 + 60_000 - clock.now());
  await vm.setUp(p, () => {});
  assert.equal(await readFile(join(dir, 'token'), 'utf8'), 'token-1', 'not yet 80 %');
  clock.step(T0 + 2900_000 - clock.now());
  await vm.setUp(p, () => {});
  assert.equal(await readFile(join(dir, 'token'), 'utf8'), 'token-2');
  await vm.tearDown('uid-1');
});

test('VolumeManager reports a token that cannot be had as FailedMount, and writes 0600 with an fsGroup', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'berth-sa-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const clock = new FakeClock(T0);
  const iss = issuer(clock);
  const vm = new VolumeManager({
    podsRoot: join(root, 'pods'),
    config: { getConfigMap: () => undefined, getSecret: () => undefined, createServiceAccountToken: iss.request },
    nodeAllocatable: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '0' },
    clock,
    mounter: new FakeMounter(),
  });
  const volumes = [{ name: 'tok', projected: { defaultMode: 0o644, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 600 } }] } }];
  iss.fail(new Error('serviceaccounts "bot" not found'));
  const events: string[] = [];
  await assert.rejects(vm.setUp({ ...pod, spec: { ...pod.spec!, volumes } }, (type, reason, message) => events.push(`${type} ${reason} ${message}`)));
  assert.deepEqual(events, ['Warning FailedMount MountVolume.SetUp failed for volume "tok" : failed to fetch token: serviceaccounts "bot" not found']);
  iss.fail(undefined);
  const grouped: Pod = { ...pod, metadata: { ...pod.metadata, uid: 'uid-2' }, spec: { ...pod.spec!, securityContext: { fsGroup: process.getgid?.() ?? 0 }, volumes } };
  const vols = await vm.setUp(grouped, () => {});
  const file = join(vols.get('tok')!.hostPath, 'token');
  assert.equal(await readFile(file, 'utf8'), 'token-1');
  assert.equal((await stat(file)).mode & 0o077, (await stat(file)).mode & 0o040, 'no access for others; group read at most');
  await vm.tearDown('uid-1');
  await vm.tearDown('uid-2');
});
