/**
 * Generators of hostile API input for the fuzz test: request targets, query
 * strings, headers, bodies, WebSocket and SPDY frames. Deterministic for a
 * seed (test/seeded-random.ts), so a failing run is replayed with BERTH_FUZZ_SEED.
 */

import type { Rng } from '../seeded-random.ts';

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rng, n: number) => Math.floor(r() * n);

/** Names that mean something to JavaScript objects but nothing to Kubernetes. */
export const prototypeNames = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'then', 'length'];

const segments = [
  'api', 'apis', 'v1', 'v2', 'apps', 'namespaces', 'default', 'kube-system', 'pods', 'configmaps', 'secrets', 'events',
  'nodes', 'status', 'log', 'exec', 'attach', 'portforward', 'binding', 'finalize', 'fuzz-pod', 'fuzz-cm',
  '..', '.', '%2e%2e', '%2E.', '%', '%A', '%zz', '%E0%A4%A', '%E0%A4', '%00', '%2F', '%ff%fe', 'ünïcode', '*', '~',
  'a'.repeat(300), '', ...prototypeNames,
];

const queryKeys = [
  'watch', 'dryRun', 'fieldValidation', 'fieldManager', 'labelSelector', 'fieldSelector', 'limit', 'continue',
  'timeoutSeconds', 'resourceVersion', 'resourceVersionMatch', 'gracePeriodSeconds', 'propagationPolicy',
  'tailLines', 'follow', 'previous', 'timestamps', 'sinceSeconds', 'limitBytes', 'container', 'command', 'stdin',
  'stdout', 'stderr', 'tty', 'force', 'includeObject', 'allowWatchBookmarks', 'sendInitialEvents', 'pretty', '__proto__',
];

const queryValues = [
  '', 'true', 'True', '0', '1', 'false', 'All', 'Bogus', 'Strict', '-1', '99999999999999999999', '1e9', 'NaN',
  'a=b', 'a in (', '!', '=', 'a,b=', 'metadata.name=x', 'status.phase!=Running', '%', '%zz', '%00', 'x'.repeat(5000),
  'ünï', '__proto__', 'constructor',
];

export function requestTarget(r: Rng): string {
  let path = '';
  const n = 1 + int(r, 8);
  const prefix = pick(r, [['api', 'v1'], ['api', 'v1', 'namespaces', 'default'], ['apis', 'apps', 'v1'], []]);
  for (const s of prefix) path += `/${s}`;
  for (let i = 0; i < n - prefix.length; i++) path += `/${pick(r, segments)}`;
  if (path === '') path = '/';
  if (r() < 0.7) {
    const pairs: string[] = [];
    for (let i = int(r, 5); i >= 0; i--) pairs.push(`${pick(r, queryKeys)}=${pick(r, queryValues)}`);
    path += `?${pairs.join('&')}`;
  }
  return path;
}

const contentTypes = [
  'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/apply-patch+yaml',
  'application/strategic-merge-patch+json', 'application/merge-patch+json', 'application/json-patch+json',
  'text/plain', 'application/json; charset=utf-16', '', 'garbage/;;;',
];

const accepts = [
  'application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  '*/*', 'text/html', ';;;', 'application/json;as=Table;includeObject=Bogus',
];

export function headers(r: Rng): Record<string, string> {
  const h: Record<string, string> = { 'Content-Type': pick(r, contentTypes), Accept: pick(r, accepts) };
  if (r() < 0.1) h['X-Fuzz'] = 'y'.repeat(int(r, 8000));
  if (r() < 0.1) h['Transfer-Encoding'] = 'chunked';
  if (r() < 0.1) h.Upgrade = pick(r, ['websocket', 'SPDY/3.1', 'h2c', 'garbage']);
  return h;
}

const validPod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'fuzz-pod', labels: { app: 'fuzz' }, annotations: { a: 'b' } },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '1'], env: [{ name: 'E', value: 'v' }] }] },
});

const validConfigMap = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fuzz-cm' }, data: { k: 'v' } });

const junkValues: unknown[] = [
  null, true, 0, -1, 1e308, 'x', '', [], {}, [[[[]]]], { a: { b: { c: {} } } }, 'ü'.repeat(100), -0.5,
  { toString: 'x' }, { valueOf: 1, toString: null }, ['__proto__'], { length: 3 },
];

/** Replaces, removes or adds one field somewhere in `v`. */
export function mutate(r: Rng, v: any, depth = 0): any {
  if (v === null || typeof v !== 'object' || (depth > 0 && r() < 0.3)) return structuredClone(pick(r, junkValues));
  const keys = Object.keys(v);
  if (keys.length === 0 || r() < 0.2) {
    const k = pick(r, [...prototypeNames, 'extra', 'metadata', 'spec', 'status', 'kind', '0']);
    // An array's own `length` only takes numbers; such a body cannot be written as JSON anyway.
    if (!(Array.isArray(v) && k === 'length')) Object.defineProperty(v, k, { value: structuredClone(pick(r, junkValues)), enumerable: true, writable: true, configurable: true });
    return v;
  }
  const k = pick(r, keys);
  if (r() < 0.15) delete v[k];
  else v[k] = mutate(r, v[k], depth + 1);
  return v;
}

export function body(r: Rng): Buffer {
  switch (int(r, 9)) {
    case 0:
      return Buffer.alloc(0);
    case 1: {
      const b = Buffer.alloc(int(r, 4096));
      for (let i = 0; i < b.length; i++) b[i] = int(r, 256);
      return b;
    }
    case 2:
      return Buffer.from(JSON.stringify(validPod()).slice(0, int(r, 120)));
    case 3: {
      const n = 1000 + int(r, 30_000);
      return Buffer.from(`{"metadata":{"name":"fuzz-deep"},"x":${'['.repeat(n)}${']'.repeat(n)}}`);
    }
    case 4:
      return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from(Array.from({ length: int(r, 512) }, () => int(r, 256)))]);
    case 5:
      return Buffer.from(`metadata: &a {name: fuzz-cm, labels: *a}\ndata: {k: ${'[a, '.repeat(int(r, 200))}`);
    case 6:
      return Buffer.from(JSON.stringify([{ op: pick(r, ['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus']), path: pick(r, ['/metadata/labels/__proto__', '/spec/containers/-', '/~2', '', '/metadata/annotations/constructor']), value: pick(r, junkValues), from: '/metadata' }]));
    default: {
      let obj: any = r() < 0.5 ? validPod() : validConfigMap();
      for (let i = int(r, 4); i >= 0; i--) obj = mutate(r, obj);
      return Buffer.from(JSON.stringify(obj));
    }
  }
}

/** A WebSocket frame from a client: often malformed (unmasked, reserved bits, bad opcodes, lying lengths). */
export function webSocketFrame(r: Rng): Buffer {
  const fin = r() < 0.8 ? 0x80 : 0;
  const rsv = r() < 0.1 ? 0x70 : 0;
  const opcode = pick(r, [0x0, 0x1, 0x2, 0x8, 0x9, 0xa, 0x3, 0xb, 0xf]);
  const payload = Buffer.from(Array.from({ length: int(r, 64) }, () => int(r, 256)));
  if (opcode === 0x2 && payload.length) payload[0] = int(r, 6);
  const masked = r() < 0.85;
  const lenMode = int(r, 4);
  const head: number[] = [fin | rsv | opcode];
  if (lenMode === 0 || payload.length > 125) head.push((masked ? 0x80 : 0) | 126, payload.length >> 8, payload.length & 0xff);
  else if (lenMode === 1) head.push((masked ? 0x80 : 0) | 127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
  else head.push((masked ? 0x80 : 0) | payload.length);
  const mask = [int(r, 256), int(r, 256), int(r, 256), int(r, 256)];
  const body = masked ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4])) : payload;
  return Buffer.concat([Buffer.from(head), masked ? Buffer.from(mask) : Buffer.alloc(0), body]);
}

/** A SPDY/3.1 frame from a client: control frames with lying lengths and counts, data frames on unknown streams. */
export function spdyFrame(r: Rng): Buffer {
  if (r() < 0.3) {
    const len = int(r, 64);
    const data = Buffer.alloc(8 + len);
    data.writeUInt32BE(int(r, 0x7fffffff), 0);
    data.writeUInt32BE(((r() < 0.5 ? 1 : 0) << 24) | len, 4);
    return data;
  }
  const type = pick(r, [1, 2, 3, 4, 6, 7, 8, 9, 0xffff]);
  const version = r() < 0.8 ? 3 : int(r, 0x7fff);
  const payload = Buffer.from(Array.from({ length: int(r, 48) }, () => int(r, 256)));
  if (type === 4 && payload.length >= 4 && r() < 0.5) payload.writeUInt32BE(0xffffffff, 0);
  const claimed = r() < 0.7 ? payload.length : pick(r, [0, 4, 0xffffff, payload.length + 100]);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | version, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((r() < 0.2 ? 0xff : 0) << 24) | claimed, 4);
  return Buffer.concat([head, payload]);
}
