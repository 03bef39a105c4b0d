/** What every verb handler receives. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../auth/auth.ts';
import type { ResourceStore } from '../registry/registry.ts';
import type { OutputNegotiation, TableRequest } from './negotiate.ts';
import type { RequestInfo } from './request-info.ts';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  store: ResourceStore;
  /** The negotiated response type (negotiate.ts), Tables allowed. */
  output: OutputNegotiation;
  /** Set when the client asked for server-side printing. */
  table: TableRequest | undefined;
  now: () => number;
  /** Aborted when the client goes away or the server stops. */
  signal: AbortSignal;
  log: (msg: string) => void;
  /** The user the request acts as (authenticated, after impersonation), for admission that asks who writes. */
  user: UserInfo;
  /**
   * Admission that depends on who writes (RBAC's escalation check): throws
   * an ApiError (403) to refuse writing `obj` over `old`. Unset: nothing to check.
   */
  guardWrite?: (obj: unknown, old?: unknown) => void;
}

export function namespaceOf(ctx: RequestContext): string | undefined {
  return ctx.store.info.namespaced ? ctx.info.namespace || undefined : undefined;
}
