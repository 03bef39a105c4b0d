/**
 * Property: a key a client chooses is data, whatever JavaScript makes of the
 * same name. Every name below runs through the real defaulting, validation,
 * patch, field-ownership and storage code once as itself and once as a
 * "twin": an ordinary name of the same shape (same length, same character
 * classes, same first character). The two outcomes, objects or ApiErrors,
 * must be the same text once the twin is written back as the name; no other
 * exception may escape; and no prototype may change.
 *
 * Twins keep the first character, and the companion keys that share a map
 * with a name start with `x-` (no name does), so whatever is sorted by key
 * (Go's map printing, conflict lists) sorts the same for a name and its twin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/api.ts';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from '../api/patch/patch.ts';
import { coreV1Schema } from '../api/validation/schema/core-v1-schema.ts';
import { findUnknownFields, goDecodeError } from '../api/validation/validation.ts';
import { memoryRegistry } from './registry-fixture.ts';
import type { Registry } from './registry.ts';
import { rng } from '../../test/seeded-random.ts';

/** Names objects inherit, or that JavaScript treats specially (thenables, array-likes, indices). */
const inheritedNames = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'then',
  'length',
  '0',
  'caller',
  'arguments',
  'call',
  'apply',
  'bind',
  'startsWith',
  'slice',
  'push',
  'includes',
];

/** go-cmp prints these words of a field name in capitals (spec-diff.ts); a twin must not contain one by chance. */
const goAcronyms = new Set(['uid', 'ip', 'ips', 'id', 'url', 'uri', 'http', 'tcp', 'grpc', 'dns', 'tty', 'fs', 'pid', 'ipc', 'api', 'se']);

/** Names a twin must not be: anything a JavaScript value or the v1 schema already gives a meaning. */
const reserved = new Set<string>([
  ...inheritedNames,
  ...[Object.prototype, Function.prototype, Array.prototype, String.prototype, Number.prototype].flatMap((p) => Object.getOwnPropertyNames(p)),
  ...Object.keys(coreV1Schema),
  ...Object.values(coreV1Schema).flatMap((fields) => Object.keys(fields)),
  ...['cpu', 'memory', 'storage', 'pods', 'services', 'secrets', 'configmaps', 'kubernetes', 'orphan', 'default'],
]);

const seed = Number(process.env.BERTH_PROPERTY_SEED ?? 20260101);
const random = rng(seed);
const pick = (chars: string) => chars[Math.floor(random() * chars.length)];
const lower = 'abcdefghijklmnopqrstuvwxyz';
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';

function camelWords(name: string): string[] {
  return name.split(/(?=[A-Z])/);
}

/** go-cmp's field name for a JSON name without acronyms: each camel word capitalized. */
function goName(name: string): string {
  return camelWords(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/**
 * An ordinary name of the same shape as `name`. A name of digits gets four
 * digits instead (an integer key all the same), since a one-digit twin could
 * not be told from the other digits of an outcome.
 */
function twinOf(name: string): string {
  for (;;) {
    let out = '';
    if (/^[0-9]+$/.test(name)) out = `${pick('789')}${pick(digits)}${pick(digits)}${pick(digits)}`;
    else for (const [i, ch] of [...name].entries()) {
      const cls = lower.includes(ch) ? lower : upper.includes(ch) ? upper : digits.includes(ch) ? digits : undefined;
      out += (i === 0 && name.length > 1) || !cls ? ch : pick(cls);
    }
    if (out === name || reserved.has(out)) continue;
    if (camelWords(out).some((w) => goAcronyms.has(w.toLowerCase()))) continue;
    return out;
  }
}

/** Random ordinary names, mixed in with the inherited ones; like those, none starts with `x`. */
function ordinaryName(): string {
  for (;;) {
    let out = pick('abcdefghijklmnopqr');
    const len = 1 + Math.floor(random() * 10);
    for (let i = 0; i < len; i++) out += pick(`${lower}${digits}-._`);
    out += pick(lower);
    if (!reserved.has(out)) return out;
  }
}

const names = [...inheritedNames, ...Array.from({ length: 8 }, ordinaryName)];
const twins = new Map(names.map((n) => [n, twinOf(n)]));

/** `text` with every whole-word occurrence of `twin` (and of its Go field name) written as `name`. */
function untwinText(text: string, twin: string, name: string): string {
  const word = (s: string) => new RegExp(`(?<![A-Za-z0-9_-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`, 'g');
  return text.replace(word(twin), () => name).replace(word(goName(twin)), () => goName(name));
}

/** A decoded outcome with the twin written as `name` in every key and string. */
function untwin(v: unknown, twin: string, name: string): unknown {
  if (typeof v === 'string') return untwinText(v, twin, name);
  if (Array.isArray(v)) return v.map((x) => untwin(x, twin, name));
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) put(out, [], untwinText(k, twin, name), untwin(x, twin, name));
  return out;
}

/** Own properties of the prototypes a polluted key would reach. */
function prototypeSnapshot(): unknown[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].flatMap((p) =>
    Reflect.ownKeys(p).map((k) => {
      const d = Object.getOwnPropertyDescriptor(p, k)!;
      return [p, k, d.value, d.get, d.set];
    }),
  );
}

const pristine = prototypeSnapshot();

function assertPrototypesUntouched(label: string): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, `${label}: Object.prototype.polluted`);
  const now = prototypeSnapshot();
  assert.equal(now.length, pristine.length, `${label}: prototypes gained or lost members`);
  now.forEach((entry, i) => assert.deepEqual(entry, pristine[i], `${label}: a prototype member changed`));
}

/**
 * What `run` answered, as decoded JSON: `{ ok: result }` or `{ error: Status }`,
 * with uids and resourceVersions masked. Any exception other than an ApiError
 * fails the test, and so does a changed prototype.
 */
function outcome(label: string, run: () => unknown): unknown {
  let result: unknown;
  try {
    result = { ok: run() };
  } catch (err) {
    if (!(err instanceof ApiError)) {
      assert.fail(`${label}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}, not an ApiError`);
    }
    result = { error: err.toStatus() };
  }
  assertPrototypesUntouched(label);
  const text = JSON.stringify(result)
    .replace(/"uid":"[0-9a-f-]{36}"/g, '"uid":"<uid>"')
    .replace(/"resourceVersion":"\d+"/g, '"resourceVersion":"<rv>"');
  return JSON.parse(text);
}

/** One scenario; `id` names the objects it makes, so scenarios share a registry without meeting. */
interface Case {
  label: string;
  run: (r: Registry, n: string, id: string) => unknown;
}

/**
 * For every name: the outcomes of `cases` for it and for its twin, in fresh
 * registries, are the same. Fails with every differing (case, name) pair,
 * and the first difference in full.
 */
function checkCases(cases: readonly Case[]): void {
  const failures: string[] = [];
  let first: { actual: string; expected: string; message: string } | undefined;
  for (const n of names) {
    const twin = twins.get(n)!;
    let mine: unknown[];
    let theirs: unknown[];
    try {
      mine = outcomes(cases, n);
      theirs = outcomes(cases, twin);
    } catch (err) {
      failures.push(`${JSON.stringify(n)}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    cases.forEach((c, i) => {
      const actual = JSON.stringify(mine[i]);
      const expected = JSON.stringify(untwin(theirs[i], twin, n));
      if (actual === expected) return;
      const message = `${c.label}: ${JSON.stringify(n)} differs from its twin ${JSON.stringify(twin)}`;
      failures.push(message);
      first ??= { actual, expected, message };
    });
  }
  if (first) assert.equal(first.actual, first.expected, `${failures.length} differences (BERTH_PROPERTY_SEED=${seed}):\n${failures.join('\n')}\nfirst: ${first.message}`);
  assert.deepEqual(failures, [], `BERTH_PROPERTY_SEED=${seed}`);
}

function outcomes(cases: readonly Case[], n: string): unknown[] {
  const cleanups: (() => void)[] = [];
  const { registry } = memoryRegistry({ after: (fn) => cleanups.push(fn) });
  try {
    return cases.map((c, i) => outcome(`${c.label} with ${JSON.stringify(n)}`, () => c.run(registry, n, `o${i}`)));
  } finally {
    for (const fn of cleanups) fn();
  }
}

/** What a step answered: its value, or the Status of its ApiError (other exceptions propagate). */
function step(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ApiError) return { status: err.toStatus() };
    throw err;
  }
}

/** As the body crosses the wire: JSON keeps `__proto__` as an own key. */
function wire<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

/** Sets `key` on the object at `path` inside `root` as JSON.parse would, `__proto__` included. */
function put(root: any, path: readonly (string | number)[], key: string, value: unknown): any {
  const target = path.reduce((o, k) => o[k], root);
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

const ns = 'default';
const byKubectl = { fieldManager: 'kubectl' };
const b64 = Buffer.from('v').toString('base64');

function createConfigMap(r: Registry, id: string, body: object): any {
  return r.configmaps.create(ns, wire({ metadata: { name: id }, ...body }), byKubectl);
}

function podBody(id: string, mutate: (p: any) => void = () => {}): any {
  const p = { metadata: { name: id }, spec: { containers: [{ name: 'app', image: 'busybox:1.35' }] } };
  mutate(p);
  return wire(p);
}

function createPod(r: Registry, id: string, mutate?: (p: any) => void): any {
  return r.pods.create(ns, podBody(id, mutate), byKubectl);
}

/** PATCH as the apiserver's write verb applies it: the patched object is decoded (type errors, unknown fields), then stored. */
function patchWith(r: Registry, kind: 'ConfigMap' | 'Pod', id: string, apply: (cur: any) => any): unknown {
  const store = kind === 'Pod' ? r.pods : r.configmaps;
  let decoded: unknown;
  const stored = step(() =>
    store.patch(
      ns,
      id,
      (cur) => {
        const next = apply(cur);
        decoded = { typeError: goDecodeError(kind, next), unknown: findUnknownFields(kind, next) };
        return next;
      },
      { fieldManager: 'kubectl-patch' },
    ),
  );
  return { decoded, stored };
}

const smp = (r: Registry, kind: 'ConfigMap' | 'Pod', id: string, patch: unknown) => patchWith(r, kind, id, (cur) => strategicMergePatch(cur, wire(patch), kind));
const merge = (r: Registry, kind: 'ConfigMap' | 'Pod', id: string, patch: unknown) => patchWith(r, kind, id, (cur) => jsonMergePatch(cur, wire(patch)));
const jsonOps = (r: Registry, kind: 'ConfigMap' | 'Pod', id: string, ops: unknown[]) => patchWith(r, kind, id, (cur) => jsonPatch(cur, wire(ops)));

const configMapAndSecretCases: Case[] = [
  { label: 'configmap data key', run: (r, n, id) => [createConfigMap(r, id, { data: { [n]: 'v', 'x-other': 'w' } }), r.configmaps.get(ns, id)] },
  { label: 'configmap binaryData key', run: (r, n, id) => createConfigMap(r, id, { binaryData: { [n]: b64 } }) },
  { label: 'configmap key in data and binaryData', run: (r, n, id) => createConfigMap(r, id, { data: { [n]: 'v' }, binaryData: { [n]: b64 } }) },
  { label: 'configmap key in binaryData beside data', run: (r, n, id) => createConfigMap(r, id, { data: { 'x-a': 'v' }, binaryData: { [n]: b64 } }) },
  {
    label: 'configmap update that adds a key',
    run: (r, n, id) => {
      createConfigMap(r, id, { data: { 'x-a': 'v' } });
      return r.configmaps.update(ns, id, wire({ metadata: { name: id }, data: { 'x-a': 'v', [n]: 'w' } }), { fieldManager: 'editor' });
    },
  },
  {
    label: 'immutable configmap update',
    run: (r, n, id) => [
      createConfigMap(r, id, { immutable: true, data: { [n]: 'v' } }),
      step(() => r.configmaps.update(ns, id, wire({ metadata: { name: id }, immutable: true, data: { [n]: 'v' } }))),
      step(() => r.configmaps.update(ns, id, wire({ metadata: { name: id }, immutable: true, data: { [n]: 'w' } }))),
    ],
  },
  { label: 'secret data and stringData key', run: (r, n, id) => r.secrets.create(ns, wire({ metadata: { name: id }, data: { [n]: b64 }, stringData: { [n]: 'x', 'x-b': 'y' } }), byKubectl) },
  { label: 'secret stringData key', run: (r, n, id) => r.secrets.create(ns, wire({ metadata: { name: id }, stringData: { [n]: 'x' } }), byKubectl) },
  { label: 'tls secret data key', run: (r, n, id) => r.secrets.create(ns, wire({ metadata: { name: id }, type: 'kubernetes.io/tls', data: { [n]: b64 } })) },
  { label: 'basic-auth secret data key', run: (r, n, id) => r.secrets.create(ns, wire({ metadata: { name: id }, type: 'kubernetes.io/basic-auth', data: { [n]: b64 } })) },
];

const metadataCases: Case[] = [
  { label: 'label key', run: (r, n, id) => createConfigMap(r, id, { metadata: { name: id, labels: { [n]: 'v', 'x-app': 'w' } } }) },
  { label: 'prefixed label key', run: (r, n, id) => createConfigMap(r, id, { metadata: { name: id, labels: { [`example.com/${n}`]: 'v' } } }) },
  { label: 'label value', run: (r, n, id) => createConfigMap(r, id, { metadata: { name: id, labels: { 'x-app': n } } }) },
  { label: 'annotation key', run: (r, n, id) => createConfigMap(r, id, { metadata: { name: id, annotations: { [n]: 'v' } } }) },
  {
    label: 'label selector on the key',
    run: (r, n, id) => {
      step(() => createConfigMap(r, id, { metadata: { name: id, labels: { [n]: 'v' } } }));
      return [step(() => r.configmaps.list(ns, { labelSelector: n })), step(() => r.configmaps.list(ns, { labelSelector: `${n}=v` }))];
    },
  },
  { label: 'namespace label key', run: (r, n, id) => r.namespaces.create(undefined, wire({ metadata: { name: id, labels: { [n]: 'v' } } }), byKubectl) },
  {
    label: 'pod annotation updates',
    run: (r, n, id) => {
      const created = createPod(r, id, (p) => (p.metadata.annotations = { [n]: 'a' }));
      const changed = step(() => r.pods.update(ns, id, { ...created, metadata: { ...created.metadata, annotations: { [n]: 'b' } } }, { fieldManager: 'editor' }));
      const removed = step(() => r.pods.update(ns, id, { ...created, metadata: { ...created.metadata, annotations: {} } }));
      return [created, changed, removed];
    },
  },
];

const podFieldCases: Case[] = [
  { label: 'container name', run: (r, n, id) => createPod(r, id, (p) => (p.spec.containers[0].name = n)) },
  { label: 'init container name', run: (r, n, id) => createPod(r, id, (p) => (p.spec.initContainers = [{ name: n, image: 'busybox:1.35' }])) },
  { label: 'env name', run: (r, n, id) => createPod(r, id, (p) => (p.spec.containers[0].env = [{ name: n, value: 'v' }])) },
  {
    label: 'env configMapKeyRef key',
    run: (r, n, id) => createPod(r, id, (p) => (p.spec.containers[0].env = [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'c', key: n } } }])),
  },
  {
    label: 'env fieldRef label subscript',
    run: (r, n, id) => createPod(r, id, (p) => (p.spec.containers[0].env = [{ name: 'X', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${n}']` } } }])),
  },
  {
    label: 'volume and mount name',
    run: (r, n, id) =>
      createPod(r, id, (p) => {
        p.spec.volumes = [{ name: n, emptyDir: {} }];
        p.spec.containers[0].volumeMounts = [{ name: n, mountPath: '/v' }];
      }),
  },
  {
    label: 'configMap volume item key and path',
    run: (r, n, id) => createPod(r, id, (p) => (p.spec.volumes = [{ name: 'v', configMap: { name: 'c', items: [{ key: n, path: n }] } }])),
  },
  { label: 'port name', run: (r, n, id) => createPod(r, id, (p) => (p.spec.containers[0].ports = [{ name: n, containerPort: 8080 }])) },
  { label: 'resource name in limits and requests', run: (r, n, id) => createPod(r, id, (p) => (p.spec.containers[0].resources = { limits: { [n]: '1' }, requests: { [n]: '1' } })) },
  { label: 'resource name in limits only', run: (r, n, id) => createPod(r, id, (p) => (p.spec.containers[0].resources = { limits: { [n]: '1', cpu: '1' } })) },
  {
    label: 'extended resource name',
    run: (r, n, id) => createPod(r, id, (p) => (p.spec.containers[0].resources = { limits: { [`example.com/${n}`]: '2', cpu: '1', memory: '1Gi' } })),
  },
  { label: 'overhead resource name', run: (r, n, id) => createPod(r, id, (p) => (p.spec.overhead = { [n]: '1' })) },
  { label: 'nodeSelector key', run: (r, n, id) => createPod(r, id, (p) => (p.spec.nodeSelector = { [n]: 'v' })) },
  {
    label: 'image update of a container',
    run: (r, n, id) => {
      const created = createPod(r, id, (p) => (p.spec.containers[0].name = n));
      const next = structuredClone(created);
      next.spec.containers[0].image = 'busybox:1.36';
      return [created, step(() => r.pods.update(ns, id, next, { fieldManager: 'editor' }))];
    },
  },
];

/** Where an unknown field goes, as a path into a pod built by `unknownFieldPod`. */
const unknownFieldPlaces: (string | number)[][] = [
  [],
  ['metadata'],
  ['spec'],
  ['spec', 'containers', 0],
  ['spec', 'containers', 0, 'resources'],
  ['spec', 'containers', 0, 'ports', 0],
  ['spec', 'containers', 0, 'livenessProbe', 'httpGet'],
  ['spec', 'securityContext'],
  ['spec', 'volumes', 0],
  ['spec', 'volumes', 0, 'emptyDir'],
];

function unknownFieldPod(id: string): any {
  return podBody(id, (p) => {
    p.spec.securityContext = {};
    p.spec.volumes = [{ name: 'v', emptyDir: {} }];
    const c = p.spec.containers[0];
    c.resources = {};
    c.ports = [{ containerPort: 8080 }];
    c.livenessProbe = { httpGet: { port: 8080 } };
  });
}

const unknownFieldCases: Case[] = unknownFieldPlaces.flatMap((place) =>
  [(_n: string) => 'x', (n: string) => ({ polluted: 'yes', [n]: { polluted: 'yes' } })].map((value, vi) => ({
    label: `unknown field at ${place.join('.') || 'the top'} (value ${vi})`,
    run: (r: Registry, n: string, id: string) => {
      const body = put(unknownFieldPod(id), place, n, value(n));
      const decoded = { typeError: goDecodeError('Pod', body), unknown: findUnknownFields('Pod', body) };
      const created = step(() => r.pods.create(ns, wire(body), byKubectl));
      const changed = put(wire(body), place, n, 'y');
      const updated = step(() => r.pods.update(ns, id, changed, { fieldManager: 'editor' }));
      return { decoded, created, updated };
    },
  })),
);

unknownFieldCases.push({
  label: 'unknown field of a configmap',
  run: (r, n, id) => {
    const body = put(wire({ metadata: { name: id }, data: { 'x-a': 'b' } }), [], n, { polluted: 'yes' });
    return { unknown: findUnknownFields('ConfigMap', body), typeError: goDecodeError('ConfigMap', body), created: createConfigMap(r, id, body) };
  },
});

const patchCases: Case[] = [
  {
    label: 'strategic merge patch adding and deleting a data key',
    run: (r, n, id) => {
      createConfigMap(r, id, { data: { 'x-a': '1' } });
      return [smp(r, 'ConfigMap', id, { data: { [n]: 'v' } }), smp(r, 'ConfigMap', id, { data: { [n]: null } })];
    },
  },
  {
    label: 'strategic merge patch with $patch replace and $retainKeys',
    run: (r, n, id) => {
      createConfigMap(r, id, { data: { 'x-a': '1', [n]: '2' } });
      return [smp(r, 'ConfigMap', id, { data: { $retainKeys: [n], [n]: 'z' } }), smp(r, 'ConfigMap', id, { data: { $patch: 'replace', [n]: 'y' } })];
    },
  },
  {
    label: 'strategic merge patch with the name as $patch',
    run: (r, n, id) => {
      createConfigMap(r, id, { data: { 'x-a': '1' } });
      return smp(r, 'ConfigMap', id, { data: { $patch: n } });
    },
  },
  {
    label: 'strategic merge patch of an unknown field',
    run: (r, n, id) => {
      createConfigMap(r, id, { data: { 'x-a': '1' } });
      return [
        smp(r, 'ConfigMap', id, put({}, [], n, { polluted: 'yes', [n]: 'x' })),
        smp(r, 'ConfigMap', id, put({}, [], n, { [n]: { polluted: 'again' } })),
        smp(r, 'ConfigMap', id, put({}, [], n, ['a', 'b', 'c'])),
        smp(r, 'ConfigMap', id, { [`$deleteFromPrimitiveList/${n}`]: ['b'] }),
        smp(r, 'ConfigMap', id, { [`$setElementOrder/${n}`]: ['c', 'a'], [n]: ['a', 'c'] }),
        smp(r, 'ConfigMap', id, put({}, [], n, null)),
      ];
    },
  },
  {
    label: 'strategic merge patch of labels',
    run: (r, n, id) => {
      createConfigMap(r, id, { metadata: { name: id, labels: { 'x-a': '1' } } });
      return [
        smp(r, 'ConfigMap', id, { metadata: { labels: { [n]: 'v' } } }),
        smp(r, 'ConfigMap', id, { metadata: { labels: { [n]: { $patch: 'delete' } } } }),
        smp(r, 'ConfigMap', id, { metadata: { labels: { [n]: null } } }),
      ];
    },
  },
  {
    label: 'strategic merge patch of containers keyed by the name',
    run: (r, n, id) => {
      createPod(r, id, (p) => (p.spec.containers = [{ name: n, image: 'busybox:1.35' }, { name: 'x-b', image: 'busybox:1.35' }]));
      return [
        smp(r, 'Pod', id, { spec: { containers: [{ name: n, image: 'busybox:1.36' }] } }),
        smp(r, 'Pod', id, { spec: { '$setElementOrder/containers': [{ name: 'x-b' }, { name: n }], containers: [{ name: n, image: 'busybox:1.37' }] } }),
        smp(r, 'Pod', id, { spec: { containers: [{ name: n, $patch: 'delete' }] } }),
        smp(r, 'Pod', id, { spec: { containers: [{ name: n, env: [{ name: n, value: 'v' }] }] } }),
      ];
    },
  },
  {
    label: 'JSON merge patch of data, labels and an unknown field',
    run: (r, n, id) => {
      createConfigMap(r, id, { data: { 'x-a': '1' } });
      return [
        merge(r, 'ConfigMap', id, { data: { [n]: 'v' } }),
        merge(r, 'ConfigMap', id, { data: { [n]: null } }),
        merge(r, 'ConfigMap', id, { metadata: { labels: { [n]: 'v' } } }),
        merge(r, 'ConfigMap', id, put({}, [], n, { polluted: 'yes', [n]: { polluted: 'yes' } })),
        merge(r, 'ConfigMap', id, put({}, [], n, put({}, [], n, { polluted: 'deeper' }))),
        merge(r, 'ConfigMap', id, put({}, [], n, null)),
      ];
    },
  },
  {
    label: 'JSON patch operations on the key',
    run: (r, n, id) => {
      createConfigMap(r, id, { data: { 'x-a': '1' } });
      return [
        jsonOps(r, 'ConfigMap', id, [{ op: 'add', path: `/data/${n}`, value: 'v' }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'test', path: `/data/${n}`, value: 'v' }, { op: 'replace', path: `/data/${n}`, value: 'w' }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'copy', from: `/data/${n}`, path: '/data/x-copy' }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'move', from: `/data/${n}`, path: '/data/x-moved' }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'remove', path: `/data/${n}` }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'move', from: '/data/x-moved', path: `/data/${n}` }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'add', path: `/${n}`, value: { polluted: 'yes' } }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'add', path: `/${n}/polluted`, value: 'again' }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'add', path: `/metadata/labels/${n}`, value: 'v' }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'test', path: `/metadata/${n}`, value: null }]),
        jsonOps(r, 'ConfigMap', id, [{ op: 'replace', path: `/metadata/${n}`, value: 'x' }]),
      ];
    },
  },
];

const managedFieldCases: Case[] = [
  {
    label: 'server-side apply of a data key, then without it',
    run: (r, n, id) => [
      step(() => r.configmaps.apply(ns, id, wire({ metadata: { name: id }, data: { [n]: 'v', 'x-a': '1' } }), { fieldManager: 'a', force: false })),
      step(() => r.configmaps.apply(ns, id, wire({ metadata: { name: id }, data: { 'x-a': '1' } }), { fieldManager: 'a', force: false })),
    ],
  },
  {
    label: 'server-side apply conflicting on a data key',
    run: (r, n, id) => [
      step(() => r.configmaps.apply(ns, id, wire({ metadata: { name: id }, data: { [n]: 'v' } }), { fieldManager: 'a', force: false })),
      step(() => r.configmaps.apply(ns, id, wire({ metadata: { name: id }, data: { [n]: 'w' } }), { fieldManager: 'b', force: false })),
      step(() => r.configmaps.apply(ns, id, wire({ metadata: { name: id }, data: { [n]: 'w' } }), { fieldManager: 'b', force: true })),
    ],
  },
  {
    label: 'server-side apply of a pod with the name as label, container and unknown field',
    run: (r, n, id) => {
      const body = put(podBody(id, (p) => {
        p.metadata.labels = { [n]: 'v' };
        p.spec.containers[0].name = n;
        p.spec.containers[0].env = [{ name: n, value: 'v' }];
      }), ['spec', 'containers', 0], n, { polluted: 'yes' });
      const first = step(() => r.pods.apply(ns, id, wire(body), { fieldManager: 'a', force: false }));
      put(body, ['metadata', 'labels'], n, 'w');
      return [first, step(() => r.pods.apply(ns, id, wire(body), { fieldManager: 'b', force: false }))];
    },
  },
  {
    label: 'managedFields a client wrote with the name as a key',
    run: (r, n, id) => {
      const created = createConfigMap(r, id, { data: { [n]: 'v' } });
      const fieldsV1 = put(put({ 'f:data': put({}, [], `f:${n}`, {}) }, [], n, { polluted: {} }), ['f:data'], n, { polluted: {} });
      const entry = { manager: 'client', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1 };
      const updated = step(() => r.configmaps.update(ns, id, wire({ ...created, metadata: { ...created.metadata, managedFields: [entry] } })));
      const applied = step(() => r.configmaps.apply(ns, id, wire({ metadata: { name: id }, data: { [n]: 'w' } }), { fieldManager: 'a', force: true }));
      return [updated, applied];
    },
  },
];

test('configmaps and secrets take keys named like JavaScript properties as their twins', () => checkCases(configMapAndSecretCases));

test('labels, annotations and selectors take keys named like JavaScript properties as their twins', () => checkCases(metadataCases));

test('pod names, env, volumes, ports and resource names named like JavaScript properties validate as their twins', () => checkCases(podFieldCases));

test('unknown fields named like JavaScript properties are found, decoded, stored and updated as their twins at every depth', () => checkCases(unknownFieldCases));

test('strategic merge, JSON merge and JSON patches treat keys named like JavaScript properties as their twins', () => checkCases(patchCases));

test('field ownership and server-side apply treat keys named like JavaScript properties as their twins', () => checkCases(managedFieldCases));

test('the generator gives every name a twin of its shape', () => {
  for (const [n, twin] of twins) {
    if (/^[0-9]+$/.test(n)) assert.match(twin, /^[0-9]{4}$/);
    else assert.equal(twin.replace(/[a-z]/g, 'a').replace(/[A-Z]/g, 'A').replace(/[0-9]/g, '0'), n.replace(/[a-z]/g, 'a').replace(/[A-Z]/g, 'A').replace(/[0-9]/g, '0'), n);
    if (n.length > 1 && !/^[0-9]+$/.test(n)) assert.equal(twin[0], n[0]);
    assert.notEqual(twin, n);
    assert.ok(!reserved.has(twin), twin);
  }
  assert.ok(names.length > inheritedNames.length, 'ordinary names are mixed in');
});
