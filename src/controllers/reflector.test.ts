import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from '../api/api.ts';
import { errors } from '../api/api.ts';
import type { ResourceWatchEvent } from '../client/client.ts';
import { inProcessClient } from '../client/client.ts';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import { listWatchOf, Reflector, type ListerWatcher, type ReflectorSink } from './reflector.ts';

const cm = (name: string, rv: string): ConfigMap => ({ metadata: { namespace: 'default', name, resourceVersion: rv } });

/** A ListerWatcher the test scripts: it records calls and hands the test each watch's callbacks. */
function scripted() {
  const calls: string[] = [];
  const watches: { rv: string; send: (e: ResourceWatchEvent<ConfigMap>) => void; close: (err: unknown) => void }[] = [];
  let listResult: () => { items: ConfigMap[]; resourceVersion: string } = () => ({ items: [], resourceVersion: '10' });
  let watchThrows: unknown;
  const lw: ListerWatcher<ConfigMap> = {
    list() {
      calls.push('list');
      return listResult();
    },
    watch(rv, onEvent, onClosed) {
      calls.push(`watch ${rv}`);
      if (watchThrows) {
        const err = watchThrows;
        watchThrows = undefined;
        throw err;
      }
      watches.push({ rv, send: onEvent, close: onClosed });
      return () => calls.push(`stop ${rv}`);
    },
  };
  return {
    lw,
    calls,
    watches,
    setList: (fn: typeof listResult) => (listResult = fn),
    failNextWatch: (err: unknown) => (watchThrows = err),
  };
}

function recordingSink() {
  const log: string[] = [];
  const sink: ReflectorSink<ConfigMap> = {
    replace: (items, rv) => log.push(`replace ${items.map((i) => i.metadata?.name).join(',')} @${rv}`),
    apply: (e) => log.push(`${e.type} ${e.object.metadata?.name}`),
  };
  return { sink, log };
}

test('Reflector lists, watches from the list revision, and resumes from the last revision taken when the watch closes', () => {
  const clock = new FakeClock(0);
  const s = scripted();
  s.setList(() => ({ items: [cm('a', '5')], resourceVersion: '10' }));
  const { sink, log } = recordingSink();
  const r = new Reflector({ name: 'configmaps', listerWatcher: s.lw, sink, clock });
  r.start();
  assert.deepEqual(s.calls, ['list', 'watch 10']);
  s.watches[0].send({ type: 'ADDED', object: cm('b', '11') });
  s.watches[0].send({ type: 'MODIFIED', object: cm('b', '12') });
  assert.equal(r.lastSyncResourceVersion, '12');
  s.watches[0].close(new Error('connection reset'));
  clock.step(799);
  assert.deepEqual(s.calls, ['list', 'watch 10'], 'waits the backoff');
  clock.step(1);
  assert.deepEqual(s.calls, ['list', 'watch 10', 'watch 12'], 'no relist: resumes where it was');
  assert.deepEqual(log, ['replace a @10', 'ADDED b', 'MODIFIED b']);
  r.stop();
  r.stop();
  assert.deepEqual(s.calls.at(-1), 'stop 12');
});

test('Reflector relists at once when a watch answers 410 Expired, at its start or later', () => {
  const clock = new FakeClock(0);
  const s = scripted();
  const { sink, log } = recordingSink();
  const r = new Reflector({ name: 'configmaps', listerWatcher: s.lw, sink, clock });
  s.failNextWatch(errors.expired('too old resource version: 10 (20)'));
  r.start();
  assert.deepEqual(s.calls, ['list', 'watch 10', 'list', 'watch 10']);
  s.setList(() => ({ items: [cm('x', '30')], resourceVersion: '31' }));
  s.watches[0].close(errors.expired('too old resource version: 10 (25)'));
  assert.deepEqual(s.calls.slice(4), ['list', 'watch 31']);
  assert.deepEqual(log, ['replace  @10', 'replace  @10', 'replace x @31']);
  assert.equal(clock.pendingTimers, 0, 'no backoff for an expired watch');
});

test('Reflector retries a failing list with backoff doubling from 800 ms to 30 s, and a list that succeeds starts it over', () => {
  const clock = new FakeClock(0);
  const s = scripted();
  let failures = 8;
  s.setList(() => {
    if (failures-- > 0) throw new Error('etcd unavailable');
    return { items: [], resourceVersion: '1' };
  });
  const logged: string[] = [];
  const r = new Reflector({ name: 'configmaps', listerWatcher: s.lw, sink: recordingSink().sink, clock, log: (m) => logged.push(m) });
  r.start();
  const listedAt: number[] = [];
  for (let i = 0; i < 9; i++) {
    if (i > 0) {
      const before = s.calls.length;
      while (s.calls.length === before) clock.step(100);
    }
    listedAt.push(clock.now());
  }
  assert.deepEqual(listedAt.map((t, i) => (i ? t - listedAt[i - 1] : 0)), [0, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  assert.equal(s.calls.at(-1), 'watch 1');
  assert.match(logged[0], /^configmaps: list failed, retrying in 800 ms: etcd unavailable$/);
  s.watches[0].close(new Error('x'));
  clock.step(800);
  assert.equal(s.calls.at(-1), 'watch 1', 'backoff started over after the good list');
});

test('Reflector does not take a change the sink throws on: the resumed watch delivers it again', (t) => {
  const { registry } = memoryRegistry(t);
  const clock = new FakeClock(0);
  const client = inProcessClient(registry).resource('configmaps');
  let failOnce = true;
  const taken: string[] = [];
  const sink: ReflectorSink<ConfigMap> = {
    replace: () => {},
    apply: (e) => {
      if (failOnce && e.object.metadata?.name === 'b') {
        failOnce = false;
        throw new Error('sink broke');
      }
      taken.push(`${e.type} ${e.object.metadata?.name}`);
    },
  };
  const r = new Reflector({ name: 'configmaps', listerWatcher: listWatchOf(client), sink, clock });
  r.start();
  t.after(() => r.stop());
  client.create('default', { metadata: { name: 'a' } });
  client.create('default', { metadata: { name: 'b' } });
  client.create('default', { metadata: { name: 'c' } });
  return clock.advance(800).then(() => {
    assert.deepEqual(taken, ['ADDED a', 'ADDED b', 'ADDED c']);
    client.delete('default', 'a');
    assert.deepEqual(taken.at(-1), 'DELETED a', 'watching again');
  });
});
