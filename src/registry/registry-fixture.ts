/** Test support: a Registry on an in-memory store with an injectable clock. */
import type { ApiGroup } from '../api/kind.ts';
import { Store } from '../store/store.ts';
import { Registry } from './registry.ts';

export interface RegistryFixture {
  registry: Registry;
  store: Store;
  clock: { now: number };
}

/** `groups` narrows or extends what is served (api/groups.ts's table by default). */
export function memoryRegistry(t: { after(fn: () => void): void }, groups?: readonly ApiGroup[]): RegistryFixture {
  const store = new Store({
    file: ':memory:',
    stampRevision: (v, rev) => {
      v.metadata ??= {};
      v.metadata.resourceVersion = String(rev);
    },
  });
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const registry = new Registry(store, { now: () => clock.now, groups });
  registry.bootstrap();
  t.after(() => store.stop());
  return { registry, store, clock };
}
