import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod, Secret } from '../../api/api.ts';
import { CriError } from '../../cri/errors.ts';
import type { AuthConfig, Image, ImageService } from '../../cri/types.ts';
import { FakeClock } from '../../clock/fake-clock.ts';
import { keyMatches, keyringFromSecrets, keyringKey, lookup } from './docker-keyring.ts';
import { applyDefaultTag, repositoryOf } from './image-name.ts';
import { ImageManager } from './images.ts';

class FakeImages implements ImageService {
  present = new Map<string, Image>();
  pulls: { image: string; auth?: AuthConfig }[] = [];
  statusCalls = 0;
  /** Decides a pull: an error to throw, or undefined to succeed. */
  onPull: (image: string, auth?: AuthConfig) => Error | undefined = () => undefined;
  pullTakesMs = 0;
  clock?: FakeClock;
  async listImages() {
    return [...this.present.values()];
  }
  async imageStatus(image: string) {
    this.statusCalls++;
    return this.present.get(image) ?? null;
  }
  async pullImage(image: string, auth?: AuthConfig) {
    this.pulls.push({ image, auth });
    this.clock?.step(this.pullTakesMs);
    const err = this.onPull(image, auth);
    if (err) throw err;
    const img = { id: `sha256:${image.length}`, repoTags: [image], repoDigests: [], size: 4_861_952, uid: 0 };
    this.present.set(image, img);
    return img.id;
  }
  async removeImage() {}
}

const pod = (over: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'uid-1' },
  spec: { containers: [], ...over },
});
const ctr = (image: string, imagePullPolicy?: string): Container => ({ name: 'c', image, imagePullPolicy });

function setup(secrets: Record<string, Secret> = {}) {
  const clock = new FakeClock();
  const images = new FakeImages();
  images.clock = clock;
  const mgr = new ImageManager({ images, clock, config: { getConfigMap: () => undefined, getSecret: (ns, n) => secrets[`${ns}/${n}`] } });
  const events: string[] = [];
  const emit = (type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`);
  return { clock, images, mgr, events, emit };
}

const notFound = (image: string) =>
  new CriError('PullImage', 'NOT_FOUND', `PullImage: failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`);

test('ensureImage reports an image already present under IfNotPresent without pulling', async () => {
  const s = setup();
  s.images.present.set('busybox:1.35', { id: 'sha256:abc', repoTags: [], repoDigests: [], size: 1, uid: 0 });
  const r = await s.mgr.ensureImage(pod(), ctr('busybox:1.35', 'IfNotPresent'), s.emit);
  assert.deepEqual(r, { ok: true, imageRef: 'sha256:abc', user: { uid: 0 } });
  assert.deepEqual(s.events, ['Normal Pulled Container image "busybox:1.35" already present on machine']);
  assert.equal(s.images.pulls.length, 0);
});

test('ensureImage refuses to pull a missing image under Never', async () => {
  const s = setup();
  const r = await s.mgr.ensureImage(pod(), ctr('busybox:9.99', 'Never'), s.emit);
  assert.deepEqual(r, { ok: false, reason: 'ErrImageNeverPull', message: 'Container image "busybox:9.99" is not present with pull policy of Never' });
  assert.deepEqual(s.events, ['Warning ErrImageNeverPull Container image "busybox:9.99" is not present with pull policy of Never']);
});

test('ensureImage always pulls under Always, without checking presence first, and reports timings and size', async () => {
  const s = setup();
  s.images.present.set('busybox:latest', { id: 'sha256:old', repoTags: [], repoDigests: [], size: 1 });
  s.images.pullTakesMs = 1234;
  const r = await s.mgr.ensureImage(pod(), ctr('busybox', 'Always'), s.emit);
  assert.equal(r.ok, true);
  assert.deepEqual(s.images.pulls, [{ image: 'busybox:latest', auth: undefined }]);
  assert.deepEqual(s.events, [
    'Normal Pulling Pulling image "busybox"',
    'Normal Pulled Successfully pulled image "busybox" in 1.234s (1.234s including waiting). Image size: 4861952 bytes.',
  ]);
});

test('ensureImage rejects unparsable names with InvalidImageName and the kubelet texts', async () => {
  const s = setup();
  const r = await s.mgr.ensureImage(pod(), ctr('Busybox:1.35'), s.emit);
  assert.equal(r.ok, false);
  assert.equal((r as { reason: string }).reason, 'InvalidImageName');
  assert.deepEqual(s.events, [
    'Warning InspectFailed Failed to apply default image tag "Busybox:1.35": couldn\'t parse image name "Busybox:1.35": invalid reference format: repository name (library/Busybox) must be lowercase',
  ]);
  const bad = applyDefaultTag('busybox::1');
  assert.deepEqual(bad, { ok: false, message: 'Failed to apply default image tag "busybox::1": couldn\'t parse image name "busybox::1": invalid reference format' });
});

test('ensureImage backs off after a failed pull: 10 s doubling to 300 s, with the last error in the message', async () => {
  const s = setup();
  const image = '127.0.0.1:5000/nope:1';
  s.images.onPull = () => notFound(image);
  const c = ctr(image, 'IfNotPresent');
  const rpc = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;

  const first = await s.mgr.ensureImage(pod(), c, s.emit);
  assert.deepEqual(first, { ok: false, reason: 'ErrImagePull', message: rpc, retryAfterMs: 10_000 });
  assert.deepEqual(s.events, [`Normal Pulling Pulling image "${image}"`, `Warning Failed Failed to pull image "${image}": ${rpc}`]);

  s.clock.step(5_000);
  const second = await s.mgr.ensureImage(pod(), c, s.emit);
  assert.deepEqual(second, {
    ok: false,
    reason: 'ImagePullBackOff',
    message: `Back-off pulling image "${image}": ErrImagePull: ${rpc}`,
    retryAfterMs: 5_000,
  });
  assert.equal(s.events.at(-1), `Normal BackOff Back-off pulling image "${image}"`);
  assert.equal(s.images.pulls.length, 1);

  // Each window ends exactly; the next pull fails again and the window doubles.
  const windows: number[] = [];
  s.clock.step(5_000);
  for (let i = 0; i < 7; i++) {
    const r = await s.mgr.ensureImage(pod(), c, s.emit);
    assert.equal((r as { reason: string }).reason, 'ErrImagePull');
    const w = (r as { retryAfterMs: number }).retryAfterMs;
    windows.push(w);
    s.clock.step(w - 1);
    assert.equal(((await s.mgr.ensureImage(pod(), c, s.emit)) as { reason: string }).reason, 'ImagePullBackOff');
    s.clock.step(1);
  }
  assert.deepEqual(windows, [20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  // The backoff is per pod: another pod pulls at once.
  await s.mgr.ensureImage(pod(), c, s.emit);
  const other = await s.mgr.ensureImage({ ...pod(), metadata: { ...pod().metadata, uid: 'uid-2' } }, c, s.emit);
  assert.equal((other as { reason: string }).reason, 'ErrImagePull');
});

const dockerConfigJson = (auths: Record<string, unknown>): Secret => ({
  metadata: { name: 'regcred' },
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths })).toString('base64') },
});

test('ensureImage passes matching imagePullSecrets credentials to PullImage, trying each in turn', async () => {
  const s = setup({
    'default/regcred': dockerConfigJson({
      '127.0.0.1:5000': { auth: Buffer.from('alice:wonder').toString('base64') },
      'other.example.com': { username: 'x', password: 'y' },
    }),
    'default/legacy': {
      metadata: { name: 'legacy' },
      type: 'kubernetes.io/dockercfg',
      data: { '.dockercfg': Buffer.from(JSON.stringify({ 'http://127.0.0.1:5000': { username: 'bob', password: 'builder' } })).toString('base64') },
    },
  });
  s.images.onPull = (_i, auth) => (auth?.username === 'bob' ? undefined : new CriError('PullImage', 'UNKNOWN', 'PullImage: 401 Unauthorized'));
  const p = pod({ imagePullSecrets: [{ name: 'missing' }, { name: 'regcred' }, { name: 'legacy' }] });
  const r = await s.mgr.ensureImage(p, ctr('127.0.0.1:5000/team/app:v1'), s.emit);
  assert.equal(r.ok, true);
  assert.deepEqual(
    s.images.pulls.map((x) => x.auth),
    [
      { username: 'alice', password: 'wonder' },
      { username: 'bob', password: 'builder' },
    ],
  );
  // Without a matching key the pull carries no credentials; all failures are reported together.
  s.images.onPull = (_i, auth) => new CriError('PullImage', 'UNKNOWN', `PullImage: denied for ${auth?.username}`);
  const failed = await s.mgr.ensureImage(p, ctr('127.0.0.1:5000/team/other:v1'), s.emit);
  assert.equal(
    (failed as { message: string }).message,
    '[rpc error: code = Unknown desc = denied for alice, rpc error: code = Unknown desc = denied for bob]',
  );
  await s.mgr.ensureImage(p, ctr('quay.io/x/y:1'), s.emit);
  assert.equal(s.images.pulls.at(-1)!.auth, undefined);
});

test('ensureImage reports an imagePullSecret it cannot parse as ErrImagePull with a Failed event, and backs off', async () => {
  const s = setup({ 'default/broken': dockerConfigJson({ '127.0.0.1:5000': { auth: Buffer.from('no-colon').toString('base64') } }) });
  const p = pod({ imagePullSecrets: [{ name: 'broken' }] });
  const why = 'unable to parse auth field, must be formatted as base64(username:password)';
  const r = await s.mgr.ensureImage(p, ctr('127.0.0.1:5000/team/app:v1'), s.emit);
  assert.deepEqual(r, { ok: false, reason: 'ErrImagePull', message: why, retryAfterMs: 10_000 });
  assert.deepEqual(s.events, [
    'Normal Pulling Pulling image "127.0.0.1:5000/team/app:v1"',
    `Warning Failed Failed to pull image "127.0.0.1:5000/team/app:v1": ${why}`,
  ]);
  assert.equal(s.images.pulls.length, 0);
  const again = await s.mgr.ensureImage(p, ctr('127.0.0.1:5000/team/app:v1'), s.emit);
  assert.equal((again as { reason: string }).reason, 'ImagePullBackOff');
});

test('keyring keys normalize locations and match by port, host globs and path prefix', () => {
  assert.equal(keyringKey('https://index.docker.io/v1/'), 'index.docker.io');
  assert.equal(keyringKey('registry.example.com:5000/team'), 'registry.example.com:5000/team');
  assert.equal(keyMatches('127.0.0.1:5000', '127.0.0.1:5000/busybox'), true);
  assert.equal(keyMatches('127.0.0.1:5000', '127.0.0.1:5001/busybox'), false);
  assert.equal(keyMatches('*.example.com', 'registry.example.com/a'), true);
  assert.equal(keyMatches('*.example.com', 'example.com/a'), false);
  assert.equal(keyMatches('registry.example.com/team', 'registry.example.com/other/a'), false);
  const entries = keyringFromSecrets([dockerConfigJson({ 'https://index.docker.io/v1/': { username: 'hub', password: 'p' } })]);
  assert.deepEqual(lookup(entries, repositoryOf('busybox:1.35')), [{ username: 'hub', password: 'p' }]);
  assert.equal(repositoryOf('busybox:1.35'), 'docker.io/library/busybox');
  assert.equal(repositoryOf('localhost:5000/a/b@sha256:' + 'a'.repeat(64)), 'localhost:5000/a/b');
});
