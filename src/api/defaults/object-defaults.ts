/**
 * Defaults for the small kinds: what the API server adds to a Namespace,
 * Secret or core/v1 Event between decoding the request and storing it
 * (ConfigMaps have no defaults).
 */
import type { Event, Namespace, Secret } from 'kubernetes-types/core/v1.js';
import { setOwn } from '../json-object.ts';

/** `v1.LabelMetadataName`. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/**
 * `SetDefaults_Namespace` (the immutable name label), plus what the namespace
 * registry sets on create: phase `Active` and the `kubernetes` spec finalizer
 * (a spec finalizer only delays deletion where the registry honours it).
 */
export function defaultNamespace(ns: Namespace): void {
  ns.metadata ??= {};
  const name = ns.metadata.name ?? '';
  if (name !== '') ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [LABEL_METADATA_NAME]: name };
  ns.spec ??= {};
  const finalizers = ns.spec.finalizers ?? [];
  if (!finalizers.includes('kubernetes')) ns.spec.finalizers = [...finalizers, 'kubernetes'];
  ns.status = { ...(ns.status ?? {}), phase: ns.status?.phase || 'Active' };
}

/**
 * `SetDefaults_Secret` (type `Opaque`) and the v1 conversion of the
 * write-only `stringData`: its entries are base64-encoded into `data`,
 * overriding keys of the same name, and `stringData` itself is never stored.
 */
export function defaultSecret(secret: Secret): void {
  secret.type ||= 'Opaque';
  if (secret.stringData) {
    const data: Record<string, unknown> = { ...(secret.data ?? {}) };
    for (const [k, v] of Object.entries(secret.stringData)) setOwn(data, k, Buffer.from(String(v), 'utf8').toString('base64'));
    secret.data = data as Record<string, string>;
    delete secret.stringData;
  }
}

/**
 * core/v1 Events have no scheme defaults. What `kubectl get events -o yaml`
 * shows beyond the sent fields comes from Go's encoding of the stored object:
 * zero times as `null`, the non-pointer `source`/`involvedObject` structs as
 * `{}`, and `reportingComponent`/`reportingInstance` as `""`. Filled in here
 * so stored events read the same.
 */
export function defaultEvent(event: Event): void {
  const e = event as unknown as Record<string, unknown>;
  e.involvedObject ??= {};
  e.source ??= {};
  e.eventTime ??= null;
  e.firstTimestamp ??= null;
  e.lastTimestamp ??= null;
  e.reportingComponent ??= '';
  e.reportingInstance ??= '';
}
