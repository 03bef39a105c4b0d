/**
 * Test support: controllers against the in-memory registry
 * (registry/registry-fixture.ts), with the registry and the controllers on
 * one FakeClock, so object timestamps and controller timers agree and no
 * test sleeps.
 */
import { inProcessClient, type Client, type ControllerClient } from '../client/client.ts';
import type { Registry } from '../registry/registry.ts';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import type { ControllerDefinition } from './controller.ts';
import { ControllerManager } from './controller-manager.ts';
import { FakeClock } from '../clock/fake-clock.ts';

export interface ControllerFixture {
  registry: Registry;
  client: Client & ControllerClient;
  clock: FakeClock;
  /** What the controllers logged. */
  logs: string[];
  /**
   * Starts a controller manager running `definitions` and lets its first
   * reconciles settle. Calling it again after `stop()` of the previous one
   * is a restart: state comes from the store alone.
   */
  run(definitions: readonly ControllerDefinition[], opts?: { resyncPeriodMs?: number }): Promise<ControllerManager>;
}

export const fixtureNodeName = 'node1';

export function controllerFixture(t: { after(fn: () => void): void }): ControllerFixture {
  const { registry, clock: registryClock } = memoryRegistry(t);
  const clock = new FakeClock(registryClock.now);
  // The registry's timestamps come from the controllers' clock.
  Object.defineProperty(registryClock, 'now', { get: () => clock.now() });
  const client = inProcessClient(registry, () => clock.now());
  const logs: string[] = [];
  return {
    registry,
    client,
    clock,
    logs,
    async run(definitions, opts = {}) {
      const manager = new ControllerManager({
        client,
        definitions,
        nodeName: fixtureNodeName,
        clock,
        resyncPeriodMs: opts.resyncPeriodMs ?? 0,
        log: (m) => logs.push(m),
      });
      t.after(() => manager.stop());
      await manager.start(new AbortController().signal);
      await clock.settle();
      return manager;
    },
  };
}
