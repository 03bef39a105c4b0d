/**
 * What a controller is to the controller manager: a definition (a name and
 * a factory) in the table of controllers.ts, and the running component the
 * factory returns.
 *
 * A factory gets the shared parts in a ControllerContext: it asks the
 * informer factory for the informers it reads and adds its event handlers
 * to them, builds its queue, and returns the component without starting
 * anything. The manager starts every component once every informer has its
 * first list, so the first reconcile of each key already sees the whole
 * cache.
 */
import type { ControllerClient } from '../client/client.ts';
import type { Clock } from '../clock/clock.ts';
import type { InformerFactory } from './informer-factory.ts';

export interface Controller {
  /** Starts the workers; they stop with `signal` or `stop()`. */
  start(signal: AbortSignal): void;
  /** Idempotent. */
  stop(): void;
}

export interface ControllerContext {
  /** Reads and writes of API state: the only way a controller touches it. */
  client: ControllerClient;
  /** The shared informers: the only way a controller watches. */
  informers: InformerFactory;
  clock: Clock;
  /** The name of berth's one node. */
  nodeName: string;
  /** The node's data directory, for controllers that keep node-local data (the local-path provisioner); unset in tests. */
  dataDir?: string;
  log: (msg: string) => void;
}

export interface ControllerDefinition {
  /** As kube-controller-manager names it (`namespace`, `ttl`), for logs. */
  name: string;
  create(ctx: ControllerContext): Controller;
}
