/**
 * storage.k8s.io/v1 — StorageClasses, served under /apis/storage.k8s.io/v1
 * (kube-apiserver's `pkg/apis/storage` and `pkg/registry/storage`).
 *
 * Owns: the table of the group's kinds, each in its own folder with its
 * declaration, storage rules and Table columns. The provisioner that acts
 * on StorageClasses lives in src/controllers.
 * Adding a kind: a folder here and one line in `storageGroup.kinds`.
 */
import type { ApiGroup } from '../kind.ts';
import { storageClassKind } from './storageclass/storageclass.ts';

export const storageGroup: ApiGroup = {
  name: 'storage.k8s.io',
  version: 'v1',
  kinds: [storageClassKind],
};
