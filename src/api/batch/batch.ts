/**
 * batch/v1 — Jobs and CronJobs, served under /apis/batch/v1
 * (kube-apiserver's `pkg/apis/batch` and `pkg/registry/batch`).
 *
 * Owns: the table of the group's kinds, each in its own folder with its
 * declaration (`<kind>.ts`), storage rules (`<kind>-strategy.ts`) and Table
 * columns (`<kind>-printer.ts`). Pod templates are defaulted and validated
 * by the core pod rules (api/defaults, api/validation). The controllers
 * that act on these kinds live in src/controllers/job and
 * src/controllers/cronjob.
 * Adding a kind: a folder here and one line in `batchGroup.kinds`.
 */
import type { ApiGroup } from '../kind.ts';
import { cronJobKind } from './cronjob/cronjob.ts';
import { jobKind } from './job/job.ts';

export const batchGroup: ApiGroup = {
  name: 'batch',
  version: 'v1',
  kinds: [cronJobKind, jobKind],
};
