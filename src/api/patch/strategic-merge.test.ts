import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../errors.ts';
import { strategicMergePatch } from './patch.ts';

/** The live object docs/kubectl-protocol.md §2 uses: kubia with two init containers and two containers. */
function livePod(): Record<string, any> {
  const container = (name: string, image: string, port: number) => ({
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: port, protocol: 'TCP' }],
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'kubia',
      namespace: 'default',
      uid: 'u-1',
      resourceVersion: '12',
      labels: { app: 'kubia' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n' },
    },
    spec: {
      initContainers: [
        { name: 'init-demo', image: 'busybox', command: ['sh', '-c', 'sleep 1'] },
        { name: 'network-check', image: 'busybox', command: ['sh', '-c', 'true'] },
      ],
      containers: [container('kubia', 'luksa/kubia:1.0', 8080), container('envoy', 'envoyproxy/envoy', 9901)],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] },
  };
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

describe('strategicMergePatch with the bodies kubectl apply sends', () => {
  it('strategicMergePatch changes an image and adds a label when the file changed (§2.2)', () => {
    const live = livePod();
    const patch = {
      metadata: {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' },
        labels: { tier: 'web' },
      },
      spec: {
        '$setElementOrder/containers': [{ name: 'kubia' }, { name: 'envoy' }],
        containers: [{ image: 'luksa/kubia:2.0', name: 'kubia' }],
      },
    };
    const out = strategicMergePatch(live, patch, 'Pod') as any;
    const want = livePod();
    want.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"new":true}\n';
    want.metadata.labels.tier = 'web';
    want.spec.containers[0].image = 'luksa/kubia:2.0';
    assert.deepEqual(out, want);
  });

  it('strategicMergePatch removes a label sent as null', () => {
    const out = strategicMergePatch(livePod(), { metadata: { labels: { app: null } } }, 'Pod') as any;
    assert.deepEqual(out.metadata.labels, {});
  });

  it('strategicMergePatch removes a container sent with $patch delete (§2.2)', () => {
    const patch = {
      spec: {
        '$setElementOrder/containers': [{ name: 'kubia' }],
        containers: [{ $patch: 'delete', name: 'envoy' }],
      },
    };
    const out = strategicMergePatch(livePod(), patch, 'Pod') as any;
    assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['kubia']);
    assert.equal(out.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  });

  it('strategicMergePatch places a new container where $setElementOrder says', () => {
    const patch = {
      spec: {
        '$setElementOrder/containers': [{ name: 'kubia' }, { name: 'sidecar' }, { name: 'envoy' }],
        containers: [{ name: 'sidecar', image: 'busybox' }],
      },
    };
    const out = strategicMergePatch(livePod(), patch, 'Pod') as any;
    assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['kubia', 'sidecar', 'envoy']);
  });

  it('strategicMergePatch reorders containers by $setElementOrder alone', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'envoy' }, { name: 'kubia' }] } };
    const out = strategicMergePatch(livePod(), patch, 'Pod') as any;
    assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['envoy', 'kubia']);
  });

  it('strategicMergePatch applies nested $setElementOrder and $patch delete inside a container', () => {
    const live = livePod();
    live.spec.containers[0].ports.push({ containerPort: 8443, protocol: 'TCP' });
    const patch = {
      spec: {
        '$setElementOrder/containers': [{ name: 'kubia' }, { name: 'envoy' }],
        containers: [
          {
            name: 'kubia',
            '$setElementOrder/ports': [{ containerPort: 9090 }, { containerPort: 8080 }],
            ports: [{ containerPort: 9090 }, { $patch: 'delete', containerPort: 8443 }],
          },
        ],
      },
    };
    const out = strategicMergePatch(live, patch, 'Pod') as any;
    assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 9090 }, { containerPort: 8080, protocol: 'TCP' }]);
    assert.equal(out.spec.containers[1].name, 'envoy');
  });

  it('strategicMergePatch puts a new list item before server-only items when no order is given, as apimachinery does', () => {
    const out = strategicMergePatch(livePod(), { spec: { containers: [{ name: 'extra', image: 'x' }] } }, 'Pod') as any;
    assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['extra', 'kubia', 'envoy']);
  });
});

describe('strategicMergePatch merge keys', () => {
  const cases: { name: string; original: any; patch: any; want: any; kind?: string }[] = [
    {
      name: 'merges ports by containerPort',
      original: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81 }] }] } },
      patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 81, name: 'metrics' }] }] } },
      want: {
        spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81, name: 'metrics' }] }] },
      },
    },
    {
      name: 'merges env by name and deletes with $patch delete',
      original: { spec: { containers: [{ name: 'a', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] }] } },
      patch: { spec: { containers: [{ name: 'a', env: [{ name: 'X', value: '9' }, { name: 'Y', $patch: 'delete' }] }] } },
      want: { spec: { containers: [{ name: 'a', env: [{ name: 'X', value: '9' }] }] } },
    },
    {
      name: 'merges volumeMounts by mountPath',
      original: { spec: { containers: [{ name: 'a', volumeMounts: [{ name: 'v', mountPath: '/a' }] }] } },
      patch: { spec: { containers: [{ name: 'a', volumeMounts: [{ mountPath: '/a', readOnly: true }] }] } },
      want: { spec: { containers: [{ name: 'a', volumeMounts: [{ name: 'v', mountPath: '/a', readOnly: true }] }] } },
    },
    {
      name: 'merges init containers and volumes by name',
      original: { spec: { initContainers: [{ name: 'i', image: 'a' }], volumes: [{ name: 'v', configMap: { name: 'c' } }] } },
      patch: { spec: { initContainers: [{ name: 'i', image: 'b' }], volumes: [{ name: 'v', configMap: { optional: true } }] } },
      want: { spec: { initContainers: [{ name: 'i', image: 'b' }], volumes: [{ name: 'v', configMap: { name: 'c', optional: true } }] } },
    },
    {
      name: 'merges imagePullSecrets by name',
      original: { spec: { imagePullSecrets: [{ name: 'a' }] } },
      patch: { spec: { imagePullSecrets: [{ name: 'b' }] } },
      want: { spec: { imagePullSecrets: [{ name: 'b' }, { name: 'a' }] } },
    },
    {
      name: 'replaces tolerations, which carry no patch strategy',
      original: { spec: { tolerations: [{ key: 'a', operator: 'Exists' }] } },
      patch: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
      want: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
    },
    {
      name: 'replaces primitive lists such as command',
      original: { spec: { containers: [{ name: 'a', command: ['sh', '-c', 'x'] }] } },
      patch: { spec: { containers: [{ name: 'a', command: ['true'] }] } },
      want: { spec: { containers: [{ name: 'a', command: ['true'] }] } },
    },
    {
      name: 'merges finalizers as a set, patch items first',
      original: { metadata: { finalizers: ['a', 'b'] } },
      patch: { metadata: { finalizers: ['b', 'c'] } },
      want: { metadata: { finalizers: ['a', 'b', 'c'] } },
    },
    {
      name: 'deletes finalizers listed in $deleteFromPrimitiveList',
      original: { metadata: { finalizers: ['a', 'b', 'c'] } },
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
      want: { metadata: { finalizers: ['a', 'c'] } },
    },
    {
      name: 'ignores a $deleteFromPrimitiveList for a list the object lacks',
      original: { metadata: {} },
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
      want: { metadata: {} },
    },
    {
      name: 'orders a primitive merge list by $setElementOrder',
      original: { metadata: { finalizers: ['a', 'b'] } },
      patch: { metadata: { '$setElementOrder/finalizers': ['b', 'c', 'a'], finalizers: ['c'] } },
      want: { metadata: { finalizers: ['b', 'c', 'a'] } },
    },
    {
      name: 'merges ownerReferences by uid',
      original: { metadata: { ownerReferences: [{ uid: '1', name: 'x', controller: true }] } },
      patch: { metadata: { ownerReferences: [{ uid: '1', controller: false }] } },
      want: { metadata: { ownerReferences: [{ uid: '1', name: 'x', controller: false }] } },
    },
    {
      name: 'merges pod status conditions by type',
      original: { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } },
      patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      want: { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] } },
    },
    {
      name: 'replaces containerStatuses, which are atomic',
      original: { status: { containerStatuses: [{ name: 'a', ready: false }, { name: 'b', ready: false }] } },
      patch: { status: { containerStatuses: [{ name: 'a', ready: true }] } },
      want: { status: { containerStatuses: [{ name: 'a', ready: true }] } },
    },
    {
      name: 'merges configmap data keys and deletes null ones',
      kind: 'ConfigMap',
      original: { data: { a: '1', b: '2' } },
      patch: { data: { b: null, c: '3' } },
      want: { data: { a: '1', c: '3' } },
    },
    {
      name: 'replaces a list of objects for a kind it has no tags for',
      kind: 'Widget',
      original: { spec: { items: [{ name: 'a' }] } },
      patch: { spec: { items: [{ name: 'b' }] } },
      want: { spec: { items: [{ name: 'b' }] } },
    },
  ];
  for (const c of cases) {
    it(`strategicMergePatch ${c.name}`, () => {
      assert.deepEqual(strategicMergePatch(c.original, c.patch, c.kind ?? 'Pod'), c.want);
    });
  }
});

describe('strategicMergePatch directives', () => {
  it('strategicMergePatch replaces a whole list when an item says $patch replace', () => {
    const out = strategicMergePatch(livePod(), { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } }, 'Pod') as any;
    assert.deepEqual(out.spec.containers, [{ name: 'only', image: 'x' }]);
  });

  it('strategicMergePatch replaces a map that says $patch replace', () => {
    const out = strategicMergePatch(livePod(), { metadata: { labels: { $patch: 'replace', fresh: 'yes' } } }, 'Pod') as any;
    assert.deepEqual(out.metadata.labels, { fresh: 'yes' });
  });

  it('strategicMergePatch empties a map that says $patch delete', () => {
    const out = strategicMergePatch(livePod(), { metadata: { annotations: { $patch: 'delete' } } }, 'Pod') as any;
    assert.deepEqual(out.metadata.annotations, {});
  });

  it('strategicMergePatch clears keys missing from $retainKeys', () => {
    const patch = { spec: { volumes: [{ name: 'data', $retainKeys: ['hostPath', 'name'], hostPath: { path: '/srv' } }] } };
    const out = strategicMergePatch(livePod(), patch, 'Pod') as any;
    assert.deepEqual(out.spec.volumes, [{ name: 'data', hostPath: { path: '/srv' } }]);
  });

  it('strategicMergePatch drops unknown $ keys and nulls inside new content', () => {
    const out = strategicMergePatch({ metadata: { name: 'x' } }, { $foo: 1, metadata: { $bar: 2 }, spec: { a: null, b: { c: null, d: 1 } } }, 'Pod');
    assert.deepEqual(out, { metadata: { name: 'x' }, spec: { b: { d: 1 } } });
  });

  it('strategicMergePatch drops directive items from a list the original lacks', () => {
    const out = strategicMergePatch(
      { spec: { containers: [{ name: 'a' }] } },
      { spec: { initContainers: [{ $patch: 'delete', name: 'x' }, { name: 'y', image: 'i' }], tolerations: [{ $patch: 'replace' }] } },
      'Pod',
    );
    assert.deepEqual(out, { spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'y', image: 'i' }], tolerations: [] } });
  });

  it('strategicMergePatch leaves its inputs untouched', () => {
    const live = livePod();
    const patch = { spec: { containers: [{ name: 'kubia', image: 'new' }, { name: 'envoy', $patch: 'delete' }] } };
    const liveCopy = structuredClone(live);
    const patchCopy = structuredClone(patch);
    strategicMergePatch(live, patch, 'Pod');
    assert.deepEqual(live, liveCopy);
    assert.deepEqual(patch, patchCopy);
  });

  it('strategicMergePatch treats a null patch as no change', () => {
    assert.deepEqual(strategicMergePatch(livePod(), null, 'Pod'), livePod());
  });
});

describe('strategicMergePatch errors', () => {
  it('strategicMergePatch answers 400 when the body is not an object', () => {
    const err = apiError(() => strategicMergePatch(livePod(), [1], 'Pod'));
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    assert.equal(err.message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  });

  it('strategicMergePatch answers 500 without a reason when a list item lacks its merge key', () => {
    const err = apiError(() => strategicMergePatch(livePod(), { spec: { containers: [{ image: 'x', ports: [{ containerPort: 80 }] }] } }, 'Pod'));
    assert.equal(err.code, 500);
    assert.equal(err.reason, '');
    assert.equal(err.message, 'map: map[image:x ports:[map[containerPort:80]]] does not contain declared merge key: name');
  });

  it('strategicMergePatch answers 500 for an unknown $patch directive', () => {
    const err = apiError(() => strategicMergePatch(livePod(), { metadata: { labels: { $patch: 'explode' } } }, 'Pod'));
    assert.equal(err.code, 500);
    assert.equal(err.message, 'unknown patch type: explode in map: map[$patch:explode]');
  });

  it('strategicMergePatch answers 400 for a malformed $setElementOrder key', () => {
    const err = apiError(() => strategicMergePatch(livePod(), { spec: { $setElementOrder: [] } }, 'Pod'));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'invalid patch format of setElementOrder list');
  });

  it('strategicMergePatch answers 500 when the patch list contradicts $setElementOrder', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'kubia' }], containers: [{ name: 'envoy', image: 'x' }] } };
    const err = apiError(() => strategicMergePatch(livePod(), patch, 'Pod'));
    assert.equal(err.code, 500);
    assert.match(err.message, /^The order in patch list:\n\[map\[image:x name:envoy\]\]\n doesn't match \$setElementOrder list:/);
  });

  it('strategicMergePatch answers 400 when a patch key is missing from $retainKeys', () => {
    const patch = { spec: { volumes: [{ name: 'data', $retainKeys: ['name'], hostPath: { path: '/srv' } }] } };
    const err = apiError(() => strategicMergePatch(livePod(), patch, 'Pod'));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'invalid patch format of retainKeys');
  });

  it('strategicMergePatch answers 422 for a list of lists in a merge list', () => {
    const err = apiError(() => strategicMergePatch({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }, 'Pod'));
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.message, 'the server rejected our request due to an error in our request');
  });

  it('strategicMergePatch answers 500 when list items are of different kinds', () => {
    const err = apiError(() => strategicMergePatch({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [1] } }, 'Pod'));
    assert.equal(err.code, 500);
    assert.equal(err.message, 'list element types are not identical: [[a] [1]]');
  });

  it('strategicMergePatch answers 400 for $deleteFromPrimitiveList without a list name', () => {
    const err = apiError(() => strategicMergePatch({ metadata: { finalizers: ['a'] } }, { metadata: { $deleteFromPrimitiveList: ['a'] } }, 'Pod'));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'invalid patch format of primitive list');
  });
});
