/** batch/v1 CronJob: its names and capabilities, storage rules and Table columns. */
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import type { Kind } from '../../kind.ts';
import { cronJobPrinter } from './cronjob-printer.ts';
import { cronJobStrategy } from './cronjob-strategy.ts';

export const cronJobKind: Kind<CronJob> = {
  info: {
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    singular: 'cronjob',
    kind: 'CronJob',
    listKind: 'CronJobList',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  },
  strategy: cronJobStrategy,
  printer: cronJobPrinter,
};
