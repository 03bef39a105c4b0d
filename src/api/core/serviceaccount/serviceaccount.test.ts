import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../errors.ts';
import { Store } from '../../../store/store.ts';
import { Registry } from '../../../registry/registry.ts';
import { admitPodServiceAccount, createAwaitingDefaultServiceAccount, tokenVolumeSource, type ServiceAccountAdmissionContext } from './serviceaccount-admission.ts';
import { serviceAccountPrinter } from './serviceaccount-printer.ts';
import { serviceAccountStrategy } from './serviceaccount-strategy.ts';

const mountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

function ctx(accounts: ServiceAccount[]): ServiceAccountAdmissionContext {
  return {
    serviceAccount: (ns, name) => accounts.find((a) => a.metadata?.namespace === ns && a.metadata?.name === name),
    generateName: (base) => `${base}x7k2p`,
  };
}
const sa = (name: string, extra: Partial<ServiceAccount> = {}): ServiceAccount => ({ metadata: { name, namespace: 'default' }, ...extra });
const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'x', namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'busybox:1.35' }], ...spec },
});

function refusal(fn: () => void): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

describe('ServiceAccount admission', () => {
  it('defaults the ServiceAccount and injects kube-api-access into every init container and container', () => {
    const p = pod({ initContainers: [{ name: 'init', image: 'busybox:1.35' }] });
    admitPodServiceAccount(p, ctx([sa('default')]));
    assert.equal(p.spec!.serviceAccountName, 'default');
    assert.deepEqual(p.spec!.volumes, [
      {
        name: 'kube-api-access-x7k2p',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ]);
    const mount = { name: 'kube-api-access-x7k2p', readOnly: true, mountPath };
    assert.deepEqual(p.spec!.initContainers![0].volumeMounts, [mount]);
    assert.deepEqual(p.spec!.containers[0].volumeMounts, [mount]);
  });

  it('refuses a pod whose ServiceAccount does not exist with the plugin text', () => {
    const err = refusal(() => admitPodServiceAccount(pod({ serviceAccountName: 'foo' }), ctx([sa('default')])));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'pods "x" is forbidden: error looking up service account default/foo: serviceaccount "foo" not found');
  });

  it('mounts nothing when the pod opts out, or the ServiceAccount does and the pod says nothing', () => {
    const optedOut = pod({ automountServiceAccountToken: false });
    admitPodServiceAccount(optedOut, ctx([sa('default')]));
    assert.equal(optedOut.spec!.volumes, undefined);
    const saOptOut = pod();
    admitPodServiceAccount(saOptOut, ctx([sa('default', { automountServiceAccountToken: false })]));
    assert.equal(saOptOut.spec!.containers[0].volumeMounts, undefined);
    const podWins = pod({ automountServiceAccountToken: true });
    admitPodServiceAccount(podWins, ctx([sa('default', { automountServiceAccountToken: false })]));
    assert.equal(podWins.spec!.volumes?.length, 1);
  });

  it('leaves containers that mount something at the path alone and reuses an existing kube-api-access volume', () => {
    const p = pod({
      containers: [
        { name: 'own', image: 'b', volumeMounts: [{ name: 'mine', mountPath }] },
        { name: 'app', image: 'b' },
      ],
      volumes: [{ name: 'kube-api-access-abcde', projected: tokenVolumeSource() }],
    });
    admitPodServiceAccount(p, ctx([sa('default')]));
    assert.deepEqual(p.spec!.containers[0].volumeMounts, [{ name: 'mine', mountPath }]);
    assert.deepEqual(p.spec!.containers[1].volumeMounts, [{ name: 'kube-api-access-abcde', readOnly: true, mountPath }]);
    assert.equal(p.spec!.volumes!.length, 1);
    const all = pod({ containers: [{ name: 'own', image: 'b', volumeMounts: [{ name: 'mine', mountPath }] }] });
    admitPodServiceAccount(all, ctx([sa('default')]));
    assert.equal(all.spec!.volumes, undefined);
  });

  it("copies the ServiceAccount's imagePullSecrets to a pod that names none", () => {
    const p = pod();
    admitPodServiceAccount(p, ctx([sa('default', { imagePullSecrets: [{ name: 'regcred' }] })]));
    assert.deepEqual(p.spec!.imagePullSecrets, [{ name: 'regcred' }]);
    const own = pod({ imagePullSecrets: [{ name: 'mine' }] });
    admitPodServiceAccount(own, ctx([sa('default', { imagePullSecrets: [{ name: 'regcred' }] })]));
    assert.deepEqual(own.spec!.imagePullSecrets, [{ name: 'mine' }]);
  });

  it('refuses references to secrets a ServiceAccount enforcing mountable secrets does not list', () => {
    const enforcing = sa('default', {
      metadata: { name: 'default', namespace: 'default', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
      secrets: [{ name: 'ok' }],
    });
    const env = pod({ containers: [{ name: 'app', image: 'b', env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }] });
    assert.equal(
      refusal(() => admitPodServiceAccount(env, ctx([enforcing]))).message,
      'pods "x" is forbidden: container app with envVar PW referencing secret.secretName="db" is not allowed because service account default does not reference that secret',
    );
    const vol = pod({ volumes: [{ name: 'v', secret: { secretName: 'db' } }] });
    assert.equal(
      refusal(() => admitPodServiceAccount(vol, ctx([enforcing]))).message,
      'pods "x" is forbidden: volume with secret.secretName="db" is not allowed because service account default does not reference that secret',
    );
    const fine = pod({ volumes: [{ name: 'v', secret: { secretName: 'ok' } }] });
    admitPodServiceAccount(fine, ctx([enforcing]));
    const lax = pod({ volumes: [{ name: 'v', secret: { secretName: 'db' } }] });
    admitPodServiceAccount(lax, ctx([sa('default')]));
  });

  it('refuses a mirror pod that names a ServiceAccount and leaves other mirror pods alone', () => {
    const annotations = { 'kubernetes.io/config.mirror': 'x' };
    const named: Pod = { ...pod({ serviceAccountName: 'default' }), metadata: { name: 'x', namespace: 'default', annotations } };
    assert.equal(refusal(() => admitPodServiceAccount(named, ctx([]))).message, 'pods "x" is forbidden: a mirror pod may not reference service accounts');
    const plain: Pod = { ...pod(), metadata: { name: 'x', namespace: 'default', annotations } };
    admitPodServiceAccount(plain, ctx([]));
    assert.equal(plain.spec!.serviceAccountName, undefined);
  });
});

describe('ServiceAccount kind', () => {
  it('prints NAME SECRETS AGE and keeps only the names of secret references', () => {
    const s: ServiceAccount = { metadata: { name: 'bot', creationTimestamp: '2026-01-01T00:00:00Z' }, secrets: [{ name: 'a', kind: 'Secret', uid: 'u' }] };
    serviceAccountStrategy.prepareForCreate(s as never, { now: 0 });
    assert.deepEqual(s.secrets, [{ name: 'a' }]);
    assert.deepEqual(serviceAccountPrinter.cells(s, Date.parse('2026-01-01T00:05:00Z')), ['bot', 1, '5m']);
    assert.deepEqual(
      serviceAccountPrinter.columns.map((c) => c.name),
      ['Name', 'Secrets', 'Age'],
    );
  });

  it('warns about the enforce-mountable-secrets annotation on create', () => {
    const s = { metadata: { name: 'bot', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } } };
    assert.deepEqual(serviceAccountStrategy.warnings!(s as never), [
      'metadata.annotations[kubernetes.io/enforce-mountable-secrets]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets',
    ]);
    assert.deepEqual(serviceAccountStrategy.warnings!(s as never, s as never), []);
  });
});

describe('registry with ServiceAccount admission', () => {
  function registry(t: TestContext): Registry {
    const store = new Store({ file: ':memory:', stampRevision: (v, rev) => ((v.metadata ??= {}).resourceVersion = String(rev)) });
    t.after(() => store.stop());
    const r = new Registry(store, { now: () => Date.parse('2026-01-01T00:00:00Z'), serviceAccountAdmission: true });
    r.bootstrap();
    return r;
  }

  it('refuses pods until the ServiceAccount exists, then stores the injected volume', (t) => {
    const r = registry(t);
    const body = () => ({ metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'busybox:1.35' }] } });
    assert.throws(() => r.pods.create('default', body()), /pods "web" is forbidden: error looking up service account default\/default: serviceaccount "default" not found/);
    r.resource('', 'v1', 'serviceaccounts')!.create('default', { metadata: { name: 'default' } });
    const created = r.pods.create('default', body());
    assert.match(created.spec!.volumes![0].name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(created.spec!.containers[0].volumeMounts![0].mountPath, mountPath);
    assert.equal(created.spec!.serviceAccount, 'default');
  });

  it('refuses a pod in a missing namespace as NamespaceLifecycle does, before looking for its ServiceAccount', (t) => {
    const r = registry(t);
    const body = { metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'busybox:1.35' }] } };
    assert.throws(() => r.pods.create('nope', body), { message: 'namespaces "nope" not found' });
  });
});

describe('waiting for the default ServiceAccount', () => {
  const noSleep = async () => {};
  it('tries again while only the default ServiceAccount is missing, and gives up after 10 attempts', async () => {
    const accounts: ServiceAccount[] = [];
    let attempts = 0;
    const create = () => {
      attempts++;
      if (attempts === 3) accounts.push(sa('default'));
      const p = pod();
      admitPodServiceAccount(p, ctx(accounts));
      return p;
    };
    const created = await createAwaitingDefaultServiceAccount(create, noSleep);
    assert.equal(attempts, 3);
    assert.equal(created.spec!.volumes?.length, 1);
    attempts = 0;
    await assert.rejects(
      createAwaitingDefaultServiceAccount(() => {
        attempts++;
        admitPodServiceAccount(pod(), ctx([]));
      }, noSleep),
      { message: 'pods "x" is forbidden: error looking up service account default/default: serviceaccount "default" not found' },
    );
    assert.equal(attempts, 10);
  });

  it('does not wait for a named ServiceAccount or any other refusal', async () => {
    let attempts = 0;
    await assert.rejects(
      createAwaitingDefaultServiceAccount(() => {
        attempts++;
        admitPodServiceAccount(pod({ serviceAccountName: 'foo' }), ctx([]));
      }, noSleep),
    );
    assert.equal(attempts, 1);
  });
});
