/**
 * Strategy pieces kinds with a status subresource share (kube-apiserver's
 * `PrepareForUpdate` of their status strategies): a status update changes
 * only status, so spec and metadata come from the stored object, keeping
 * the resourceVersion the writer sent for the precondition check.
 */
import type { Stored } from './types.ts';

/** A status update's object: `old`'s spec and metadata, `obj`'s status and resourceVersion. */
export function keepAllButStatus<T extends { spec?: unknown }>(obj: Stored<T>, old: Stored<T>): void {
  obj.spec = old.spec;
  const rv = obj.metadata.resourceVersion;
  obj.metadata = { ...old.metadata, resourceVersion: rv };
}

/** Adds `finalizer` once (the StorageObjectInUseProtection admission plugin's protection finalizers). */
export function addFinalizer(obj: Stored<object>, finalizer: string): void {
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
}
