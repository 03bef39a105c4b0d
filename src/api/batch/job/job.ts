/** batch/v1 Job: its names and capabilities, storage rules and Table columns. */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Kind } from '../../kind.ts';
import { jobPrinter } from './job-printer.ts';
import { jobStrategy } from './job-strategy.ts';

export const jobKind: Kind<Job> = {
  info: {
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    singular: 'job',
    kind: 'Job',
    listKind: 'JobList',
    namespaced: true,
    shortNames: [],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  },
  strategy: jobStrategy,
  printer: jobPrinter,
};
