/**
 * core/v1 — the legacy API group, served under /api/v1 (kube-apiserver's
 * `pkg/apis/core` and `pkg/registry/core`).
 *
 * Owns: the table of core kinds. Each kind lives in its own folder here with
 * its declaration (`<kind>.ts`: names, verbs, subresources), its storage rules
 * (`<kind>-strategy.ts`) and its Table columns (`<kind>-printer.ts`); core
 * validation and defaulting, which other groups' pod templates reuse, stay in
 * api/validation and api/defaults. Adding a kind: a folder here and one line
 * in `coreGroup.kinds`.
 */
import type { ApiGroup } from '../kind.ts';
import { configMapKind } from './configmap/configmap.ts';
import { endpointsKind } from './endpoints/endpoints.ts';
import { eventKind } from './event/event.ts';
import { namespaceKind } from './namespace/namespace.ts';
import { nodeKind } from './node/node.ts';
import { persistentVolumeKind } from './persistentvolume/persistentvolume.ts';
import { persistentVolumeClaimKind } from './persistentvolumeclaim/persistentvolumeclaim.ts';
import { podKind } from './pod/pod.ts';
import { secretKind } from './secret/secret.ts';
import { serviceKind } from './service/service.ts';
import { serviceAccountKind } from './serviceaccount/serviceaccount.ts';

export const coreGroup: ApiGroup = {
  name: '',
  version: 'v1',
  kinds: [podKind, eventKind, namespaceKind, configMapKind, secretKind, nodeKind, serviceKind, endpointsKind, persistentVolumeKind, persistentVolumeClaimKind, serviceAccountKind],
};
