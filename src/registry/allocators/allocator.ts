/**
 * What an allocator is to a ResourceStore: the hook through which a kind
 * draws values from pools every object of the kind shares (a Service's
 * cluster IPs and node ports), kube-apiserver's BeginCreate/BeginUpdate.
 */
import type { Stored } from '../../api/types.ts';

export interface AllocationContext<T> {
  /**
   * The stored objects of the kind in every namespace, except the one being
   * written. The pools' state is derived from them on every call.
   */
  peers(): Stored<T>[];
  /** A dry run allocates nothing and reports what it can without looking. */
  dryRun: boolean;
}

export interface Allocator<T> {
  /**
   * Fills in and checks the pooled fields of `obj` — a create when `old` is
   * undefined — after defaulting and field ownership, before validation.
   * Throws an ApiError to refuse the write.
   *
   * Contract with the caller: allocation, validation and the store write
   * happen in one synchronous call (the store is synchronous), so no other
   * write can take a value between allocation and storage, and a refused or
   * failed write leaves nothing to release.
   */
  allocate(obj: Stored<T>, old: Stored<T> | undefined, ctx: AllocationContext<T>): void;
}
