/**
 * apps/v1 — the workload API group, served under /apis/apps/v1
 * (kube-apiserver's `pkg/apis/apps` and `pkg/registry/apps`).
 *
 * Owns: the table of the group's kinds, each in its own folder with its
 * declaration (`<kind>.ts`), storage rules (`<kind>-strategy.ts`) and Table
 * columns (`<kind>-printer.ts`); workload-strategy.ts holds the rules they
 * share. Pod templates are defaulted and validated by the core pod rules
 * (api/defaults, api/validation). The controllers that act on these kinds
 * live in src/controllers/<kind>.
 * Adding a kind: a folder here and one line in `appsGroup.kinds`.
 */
import type { ApiGroup } from '../kind.ts';
import { controllerRevisionKind } from './controllerrevision/controllerrevision.ts';
import { daemonSetKind } from './daemonset/daemonset.ts';
import { deploymentKind } from './deployment/deployment.ts';
import { replicaSetKind } from './replicaset/replicaset.ts';
import { statefulSetKind } from './statefulset/statefulset.ts';

export const appsGroup: ApiGroup = {
  name: 'apps',
  version: 'v1',
  kinds: [controllerRevisionKind, daemonSetKind, deploymentKind, replicaSetKind, statefulSetKind],
};
