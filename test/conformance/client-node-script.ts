/**
 * Drives a berth node with `@kubernetes/client-node` the way its users do.
 * Run by client-node.test.ts; the protocol is conformance-fixture.ts's: one
 * JSON line per check on stdout, `{"compact": true}` and a line back on stdin
 * to have the store's history compacted. KUBECONFIG names the node,
 * NAMESPACE the namespace to use.
 */
import {
  ApiException,
  CoreV1Api,
  EventsV1Api,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  Log,
  PatchStrategy,
  PortForward,
  Watch,
  makeInformer,
  setHeaderOptions,
  V1MicroTime,
  type V1ConfigMap,
  type V1Container,
  type V1Pod,
  type V1Status,
} from '@kubernetes/client-node';
// Not exported from the package root: the handler Exec takes, and the
// WebSocket implementation it uses, for a factory that offers only v4.
import { WebSocketHandler } from '@kubernetes/client-node/dist/web-socket-handler.js';
import WebSocket from 'isomorphic-ws';
import { createInterface } from 'node:readline';
import { PassThrough, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

const NS = process.env.NAMESPACE ?? 'jsconf';
const kc = new KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(CoreV1Api);
const objects = KubernetesObjectApi.makeApiClient(kc);
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
let failures = 0;

async function check(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    console.log(JSON.stringify({ check: name, ok: true, detail: '' }));
  } catch (err) {
    failures++;
    const detail = err instanceof ApiException ? `${err.code} ${JSON.stringify(err.body)}\n${err.stack}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.log(JSON.stringify({ check: name, ok: false, detail }));
  }
}

function expect(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(what);
}

async function waitFor<T>(pred: () => Promise<T>, what: string, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** The ApiException a call must fail with. */
async function rejection(p: Promise<unknown>): Promise<ApiException<any>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiException) return err;
    throw err;
  }
  throw new Error('the call succeeded');
}

async function compact(): Promise<void> {
  console.log(JSON.stringify({ compact: true }));
  await stdinLines.next();
}

function statusBody(err: ApiException<any>): V1Status {
  return typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
}

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): V1ConfigMap => ({
  metadata: { name, labels },
  data,
});
const container = (name: string, script: string, port?: number): V1Container => ({
  name,
  image: 'busybox:1.35',
  command: ['sh', '-c', script],
  ports: port ? [{ containerPort: port }] : undefined,
});
const pod = (name: string, containers: V1Container[]): V1Pod => ({
  metadata: { name },
  spec: { terminationGracePeriodSeconds: 1, containers },
});

/** A Writable that collects text. */
function collector(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += chunk.toString();
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

/** Runs a command in app/logger with the given exec client; resolves with its output and Status. */
function runExec(exec: Exec, command: string[], input?: string, endInput = true): Promise<{ out: string; err: string; status: V1Status }> {
  const out = collector();
  const errOut = collector();
  const stdin = input === undefined ? null : new PassThrough();
  return new Promise((resolve, reject) => {
    exec
      .exec(NS, 'app', 'logger', command, out, errOut, stdin, false, (status) => resolve({ out: out.text, err: errOut.text, status }))
      .then(() => {
        if (stdin && endInput) stdin.end(input);
        else if (stdin) stdin.write(input);
      }, reject);
    setTimeout(() => reject(new Error(`exec ${command.join(' ')} did not end; out ${JSON.stringify(out.text)}`)), 15_000).unref();
  });
}

const exitCode = (s: V1Status) => (s.status === 'Success' ? 0 : Number(s.details?.causes?.find((c) => c.reason === 'ExitCode')?.message));

await check('create: a namespace, a configmap and pods', async () => {
  await core.createNamespace({ body: { metadata: { name: NS } } });
  const created = await core.createNamespacedConfigMap({ namespace: NS, body: cm('first', { a: '1' }) });
  expect(created.metadata?.uid && created.metadata.resourceVersion, 'created object has uid and resourceVersion');
  await core.createNamespacedPod({
    namespace: NS,
    body: pod('app', [
      container('logger', 'i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.2; done'),
      container('web', 'mkdir -p /www && echo hello-from-berth > /www/index.html && exec httpd -f -p 8080 -h /www', 8080),
    ]),
  });
  await core.createNamespacedPod({ namespace: NS, body: pod('crasher', [container('c', 'echo run-$(date +%s%N); sleep 0.5; exit 3')]) });
  const got = await core.readNamespacedConfigMap({ name: 'first', namespace: NS });
  expect(got.data?.a === '1', 'read back the configmap');
});

/** Watches configmaps from `resourceVersion` until `count` events arrived. */
async function watchEvents(resourceVersion: string, count: number): Promise<{ type: string; obj: any }[]> {
  const events: { type: string; obj: any }[] = [];
  let req: AbortController | undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`watch got ${JSON.stringify(events.map((e) => e.type))}`)), 10_000);
    new Watch(kc)
      .watch(
        `/api/v1/namespaces/${NS}/configmaps`,
        { resourceVersion },
        (type, obj) => {
          events.push({ type, obj });
          if (events.length === count) {
            clearTimeout(timer);
            resolve();
          }
        },
        (err) => {
          clearTimeout(timer);
          if (events.length < count) reject(err ?? new Error(`watch ended after ${JSON.stringify(events)}`));
        },
      )
      .then((r) => (req = r), reject);
  });
  req?.abort();
  return events;
}

await check('watch: resumes from a resourceVersion without replaying what was seen', async () => {
  const rv = (await core.listNamespacedConfigMap({ namespace: NS })).metadata!.resourceVersion!;
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('watched', { v: '1' }) });
  const first = await watchEvents(rv, 1);
  expect(first[0].type === 'ADDED' && first[0].obj.metadata.name === 'watched', `first watch ${JSON.stringify(first)}`);
  await core.patchNamespacedConfigMap(
    { name: 'watched', namespace: NS, body: { data: { v: '2' } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  const resumed = await watchEvents(first[0].obj.metadata.resourceVersion, 1);
  expect(resumed[0].type === 'MODIFIED' && resumed[0].obj.data.v === '2', `resumed watch ${JSON.stringify(resumed)}`);
});

await check('logs: tail, timestamps and follow', async () => {
  await waitFor(async () => {
    const p = await core.readNamespacedPod({ name: 'app', namespace: NS });
    return p.status?.containerStatuses?.length === 2 && p.status.containerStatuses.every((c) => c.ready);
  }, 'pod app ready');
  await waitFor(async () => (await core.readNamespacedPodLog({ name: 'app', namespace: NS, container: 'logger' })).includes('line-4'), 'five lines');
  const tail = await core.readNamespacedPodLog({ name: 'app', namespace: NS, container: 'logger', tailLines: 2 });
  const lines = tail.trim().split('\n');
  expect(lines.length === 2 && lines.every((l) => l.startsWith('line-')), `tailLines=2 gave ${JSON.stringify(tail)}`);
  const stamped = await core.readNamespacedPodLog({ name: 'app', namespace: NS, container: 'logger', tailLines: 1, timestamps: true });
  expect(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line-\d+\n$/.test(stamped), `timestamps gave ${JSON.stringify(stamped)}`);
  // This client drops tailLines 0 from the query; 1 is the least it sends.
  const out = collector();
  await new Log(kc).log(NS, 'app', 'logger', out, { follow: true, tailLines: 1 });
  await waitFor(async () => out.text.split('\n').length > 3, 'three followed lines', 10_000);
  // Aborting the request makes this client emit an unhandled 'error' on its
  // internal stream (ending the process): the writable is closed instead,
  // and the connection goes with the process.
  out.destroy();
  const followed = out.text.split('\n').slice(0, 3).map((l) => Number(l.split('-')[1]));
  expect(
    followed[0] >= Number(lines[1].split('-')[1]) && followed[1] === followed[0] + 1 && followed[2] === followed[1] + 1,
    `follow gave ${JSON.stringify(out.text)} after ${tail}`,
  );
});

await check("logs: previous is the last terminated container's output", async () => {
  await waitFor(async () => {
    const cs = (await core.readNamespacedPod({ name: 'crasher', namespace: NS })).status?.containerStatuses?.[0];
    return cs && cs.restartCount >= 1 && cs.lastState?.terminated;
  }, 'crasher restarted', 45_000);
  const prev = await core.readNamespacedPodLog({ name: 'crasher', namespace: NS, previous: true });
  expect(prev.startsWith('run-'), `previous gave ${JSON.stringify(prev)}`);
  const out = collector();
  await new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    new Log(kc).log(NS, 'crasher', 'c', out, { previous: true }).catch(reject);
  });
  expect(out.text === prev, `Log class previous gave ${JSON.stringify(out.text)}`);
  const err = await rejection(core.readNamespacedPodLog({ name: 'app', namespace: NS, container: 'logger', previous: true }));
  expect(err.code === 400 && JSON.stringify(err.body).includes('previous terminated container'), `previous without one: ${err.code} ${JSON.stringify(err.body)}`);
});

await check('exec v5: stdout, stderr, exit codes and stdin closed', async () => {
  expect(WebSocketHandler.supportsClose('v5.channel.k8s.io'), 'client offers v5');
  const exec = new Exec(kc);
  let r = await runExec(exec, ['sh', '-c', 'echo out; echo err >&2']);
  expect(r.out === 'out\n' && r.err === 'err\n' && exitCode(r.status) === 0, `output ${JSON.stringify(r)}`);
  r = await runExec(exec, ['sh', '-c', 'exit 7']);
  expect(exitCode(r.status) === 7 && r.status.reason === 'NonZeroExitCode', `exit 7 gave ${JSON.stringify(r.status)}`);
  // cat ends only when the close signal ends its stdin.
  r = await runExec(exec, ['sh', '-c', 'cat; echo done; exit 4'], 'abc\n');
  expect(r.out === 'abc\ndone\n' && exitCode(r.status) === 4, `stdin gave ${JSON.stringify(r)}`);
});

await check('exec v4: stdout, exit codes and stdin', async () => {
  let negotiated = '';
  const v4 = new WebSocketHandler(kc, (uri, _protocols, opts) => {
    const ws = new WebSocket(uri, ['v4.channel.k8s.io'], opts);
    ws.on('open', () => (negotiated = ws.protocol));
    return ws;
  });
  const exec = new Exec(kc, v4);
  let r = await runExec(exec, ['sh', '-c', 'echo out; echo err >&2; exit 9']);
  expect(negotiated === 'v4.channel.k8s.io', `negotiated ${negotiated}`);
  expect(r.out === 'out\n' && r.err === 'err\n' && exitCode(r.status) === 9, `output ${JSON.stringify(r)}`);
  // v4 cannot half-close: this client closes the socket at stdin's end, so stdin stays open.
  r = await runExec(exec, ['head', '-c', '6'], 'hello\n', false);
  expect(r.out === 'hello\n' && exitCode(r.status) === 0, `stdin gave ${JSON.stringify(r)}`);
});

await check('port-forward: an HTTP request reaches the pod', async () => {
  const out = collector();
  const input = new PassThrough();
  const ws = (await new PortForward(kc).portForward(NS, 'app', [8080], out, null, input)) as WebSocket;
  input.write('GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n');
  await waitFor(async () => out.text.includes('hello-from-berth'), `the response (got ${JSON.stringify(out.text)})`, 10_000);
  expect(out.text.startsWith('HTTP/1.'), `response ${JSON.stringify(out.text)}`);
  ws.close();
});

await check('patch: json, merge, strategic and apply with force', async () => {
  await core.createNamespacedPod({ namespace: NS, body: pod('patched', [container('c', 'sleep 3600')]) });
  let p = await core.patchNamespacedPod(
    { name: 'patched', namespace: NS, body: [{ op: 'add', path: '/metadata/labels', value: { json: 'yes' } }] },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  );
  expect(p.metadata?.labels?.json === 'yes', 'json patch');
  p = await core.patchNamespacedPod(
    { name: 'patched', namespace: NS, body: { spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  expect(p.spec?.containers[0].image === 'busybox:1.36' && p.spec.containers[0].command?.[2] === 'sleep 3600', `strategic ${JSON.stringify(p.spec?.containers)}`);
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('patchme', { a: '1', b: '2' }) });
  const merged = await core.patchNamespacedConfigMap(
    { name: 'patchme', namespace: NS, body: { data: { a: null, c: '3' } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  expect(JSON.stringify(merged.data) === JSON.stringify({ b: '2', c: '3' }), `merge ${JSON.stringify(merged.data)}`);
  const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: NS }, data: { k: 'one' } };
  const a1 = await objects.patch(applied, undefined, undefined, 'first', false, PatchStrategy.ServerSideApply);
  expect((a1 as V1ConfigMap).data?.k === 'one', 'first apply');
  applied.data.k = 'two';
  const conflict = await rejection(objects.patch(applied, undefined, undefined, 'second', false, PatchStrategy.ServerSideApply));
  const body = statusBody(conflict);
  expect(conflict.code === 409 && body.reason === 'Conflict' && body.message?.includes('first'), `conflict ${conflict.code} ${JSON.stringify(body)}`);
  const forced = (await objects.patch(applied, undefined, undefined, 'second', true, PatchStrategy.ServerSideApply)) as V1ConfigMap;
  expect(forced.data?.k === 'two' && forced.metadata?.managedFields?.some((m) => m.manager === 'second'), `forced ${JSON.stringify(forced)}`);
});

await check('pagination: limit and continue', async () => {
  for (let i = 0; i < 5; i++) await core.createNamespacedConfigMap({ namespace: NS, body: cm(`page-${i}`, {}, { page: 'yes' }) });
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const list = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'page=yes', limit: 2, _continue: token });
    pages++;
    names.push(...list.items.map((i) => i.metadata!.name!));
    token = list.metadata?._continue;
  } while (token);
  expect(pages === 3 && names.join() === 'page-0,page-1,page-2,page-3,page-4', `${pages} pages: ${names}`);
  const total = (await core.listNamespacedConfigMap({ namespace: NS })).items.length;
  const first = await core.listNamespacedConfigMap({ namespace: NS, limit: 2 });
  expect(first.metadata?.remainingItemCount === total - 2, `remainingItemCount ${first.metadata?.remainingItemCount} of ${total}`);
  // Objects list pagination too (KubernetesObjectApi).
  const listed = await objects.list('v1', 'ConfigMap', NS, undefined, undefined, undefined, undefined, 'page=yes', 3);
  expect(listed.items.length === 3 && listed.metadata?._continue, 'KubernetesObjectApi.list with limit');
});

await check('watch-list: initial events, then the initial-events-end bookmark', async () => {
  const expected = (await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'page=yes' })).items.map((i) => i.metadata!.name).sort();
  const events: { type: string; obj: any }[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`watch-list gave ${JSON.stringify(events.map((e) => e.type))}`)), 10_000);
    let req: AbortController | undefined;
    new Watch(kc)
      .watch(
        `/api/v1/namespaces/${NS}/configmaps`,
        { labelSelector: 'page=yes', sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
        (type, obj) => {
          events.push({ type, obj });
          if (type === 'BOOKMARK') {
            clearTimeout(timer);
            req?.abort();
            resolve();
          }
        },
        () => {},
      )
      .then((r) => (req = r), reject);
  });
  const added = events.filter((e) => e.type === 'ADDED').map((e) => e.obj.metadata.name).sort();
  const last = events.at(-1)!;
  expect(JSON.stringify(added) === JSON.stringify(expected), `initial events ${added} of ${expected}`);
  expect(last.type === 'BOOKMARK' && last.obj.metadata.annotations?.['k8s.io/initial-events-end'] === 'true' && last.obj.metadata.resourceVersion, `bookmark ${JSON.stringify(last)}`);
});

await check('422: an invalid object answers an Invalid Status with causes', async () => {
  const err = await rejection(core.createNamespacedConfigMap({ namespace: NS, body: cm('Not_Valid') }));
  const body = statusBody(err);
  expect(err.code === 422 && body.kind === 'Status' && body.reason === 'Invalid' && body.code === 422, `${err.code} ${JSON.stringify(body)}`);
  expect(body.details?.kind === 'ConfigMap' && body.details.name === 'Not_Valid' && body.details.causes?.[0].field === 'metadata.name', `details ${JSON.stringify(body.details)}`);
});

await check('410: a watch and a continue from compacted history expire; a relist recovers', async () => {
  const first = await core.listNamespacedConfigMap({ namespace: NS, limit: 1 });
  const oldRv = first.metadata!.resourceVersion!;
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('after-compaction-1') });
  await compact();
  const [expired] = await watchEvents(oldRv, 1);
  expect(expired.type === 'ERROR' && expired.obj.code === 410 && expired.obj.reason === 'Expired', `watch gave ${JSON.stringify(expired)}`);
  const err = await rejection(core.listNamespacedConfigMap({ namespace: NS, limit: 1, _continue: first.metadata!._continue }));
  const body = statusBody(err) as V1Status & { metadata?: { _continue?: string; continue?: string } };
  expect(err.code === 410 && body.reason === 'Expired' && (body.metadata?._continue ?? body.metadata?.continue), `continue gave ${err.code} ${JSON.stringify(body)}`);
  const relist = await core.listNamespacedConfigMap({ namespace: NS });
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('after-relist') });
  const [next] = await watchEvents(relist.metadata!.resourceVersion!, 1);
  expect(next.type === 'ADDED' && next.obj.metadata.name === 'after-relist', `after relist ${JSON.stringify(next)}`);
});

await check('events.k8s.io/v1: the core events seen through its names, one storage, one watch', async () => {
  const ev1 = kc.makeApiClient(EventsV1Api);
  const kubelet = await ev1.listNamespacedEvent({ namespace: NS, fieldSelector: 'regarding.name=app,reason=Started' });
  const started = kubelet.items[0];
  expect(started?.deprecatedSource?.component === 'kubelet' && started.note?.startsWith('Started container'), `kubelet events ${JSON.stringify(kubelet.items)}`);
  const created = await ev1.createNamespacedEvent({
    namespace: NS,
    body: {
      metadata: { name: 'js.1' },
      eventTime: new V1MicroTime(),
      reportingController: 'example.com/jsconf',
      reportingInstance: 'js-1',
      action: 'Check',
      reason: 'Checked',
      regarding: { kind: 'Pod', namespace: NS, name: 'app' },
      note: 'from javascript',
      type: 'Normal',
    },
  });
  const asCore = await core.readNamespacedEvent({ name: 'js.1', namespace: NS });
  expect(asCore.message === 'from javascript' && asCore.reportingComponent === 'example.com/jsconf' && asCore.involvedObject.name === 'app', `core view ${JSON.stringify(asCore)}`);
  expect(asCore.metadata.resourceVersion === created.metadata?.resourceVersion, 'one resourceVersion');
  const rv = (await core.listNamespacedEvent({ namespace: NS })).metadata!.resourceVersion!;
  const events: { type: string; obj: any }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`events.k8s.io watch saw ${JSON.stringify(events)}`)), 10_000);
    new Watch(kc)
      .watch(`/apis/events.k8s.io/v1/namespaces/${NS}/events`, { resourceVersion: rv, fieldSelector: 'reason=Poked' }, (type, obj) => {
        events.push({ type, obj });
        clearTimeout(timer);
        resolve();
      }, () => {})
      .then((req) => done.finally(() => req.abort()), reject);
  });
  await core.createNamespacedEvent({
    namespace: NS,
    body: {
      metadata: { name: 'core.1' },
      involvedObject: { kind: 'Pod', namespace: NS, name: 'app' },
      reason: 'Poked',
      message: 'from core',
      type: 'Warning',
      source: { component: 'jsconf' },
    },
  });
  await done;
  expect(events[0].type === 'ADDED' && events[0].obj.note === 'from core' && events[0].obj.deprecatedSource.component === 'jsconf', `watch ${JSON.stringify(events)}`);
  const invalid = await rejection(
    ev1.createNamespacedEvent({
      namespace: NS,
      body: { metadata: { name: 'js.2' }, eventTime: new V1MicroTime(), reportingController: 'example.com/jsconf', reportingInstance: 'js-1', action: 'Check', reason: 'Checked', regarding: { kind: 'Pod', namespace: NS, name: 'app' }, type: 'Fatal' },
    }),
  );
  expect(invalid.code === 422 && JSON.stringify(invalid.body).includes('type: Invalid value'), `invalid type ${invalid.code} ${JSON.stringify(invalid.body)}`);
});

await check('informer: makeInformer keeps its cache, and relists after a 410', async () => {
  const selector = 'inf=yes';
  let lists = 0;
  const informer = makeInformer(
    kc,
    `/api/v1/namespaces/${NS}/configmaps`,
    () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: NS, labelSelector: selector });
    },
    selector,
  );
  const seen: string[] = [];
  informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
  informer.on('update', (o) => seen.push(`update ${o.metadata?.name}`));
  informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
  const errors: unknown[] = [];
  // stop() aborts the informer's own watch, which it reports as an AbortError.
  informer.on('error', (e) => {
    if ((e as Error)?.name !== 'AbortError') errors.push(e);
  });
  await informer.start();
  for (let i = 0; i < 3; i++) await core.createNamespacedConfigMap({ namespace: NS, body: cm(`inf-${i}`, { n: String(i) }, { inf: 'yes' }) });
  await core.patchNamespacedConfigMap({ name: 'inf-1', namespace: NS, body: { data: { n: 'changed' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  await core.deleteNamespacedConfigMap({ name: 'inf-2', namespace: NS });
  const cacheState = () => JSON.stringify(informer.list(NS).map((o) => [o.metadata?.name, o.data]).sort());
  const serverState = async () =>
    JSON.stringify((await core.listNamespacedConfigMap({ namespace: NS, labelSelector: selector })).items.map((o) => [o.metadata?.name, o.data]).sort());
  await waitFor(async () => cacheState() === (await serverState()), 'the cache to match the server', 10_000);
  expect(seen.join() === 'add inf-0,add inf-1,add inf-2,update inf-1,delete inf-2', `events ${seen}`);
  // Stopped, it misses changes; the history it would resume from is compacted: 410, relist.
  await informer.stop();
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('inf-3', {}, { inf: 'yes' }) });
  await core.deleteNamespacedConfigMap({ name: 'inf-0', namespace: NS });
  await compact();
  const listsBefore = lists;
  await informer.start();
  await waitFor(async () => cacheState() === (await serverState()), `the cache after a relist (${cacheState()})`, 15_000);
  expect(lists === listsBefore + 1, `relisted ${lists - listsBefore} times`);
  expect(errors.length === 0, `informer errors ${errors.map(String)}`);
  await informer.stop();
});

process.exit(failures ? 1 : 0);
