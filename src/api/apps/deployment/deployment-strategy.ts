/**
 * Storage rules for apps/v1 Deployments (kube-apiserver `pkg/registry/apps/deployment`
 * strategy.go): the shared workload rules with `SetDefaults_Deployment`, the
 * Deployment validation and the pod template warnings. Annotations count
 * towards the generation: they are copied to the ReplicaSets.
 */
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { defaultDeployment } from '../../defaults/defaults.ts';
import type { Strategy } from '../../kind.ts';
import { validateDeployment, validateDeploymentStatusUpdate, validateDeploymentUpdate } from '../../validation/validation.ts';
import { workloadStrategy, workloadWarnings } from '../workload-strategy.ts';

export const deploymentStrategy: Strategy<Deployment> = workloadStrategy<Deployment>({
  defaults: (d) => defaultDeployment(d),
  // DeploymentStatus has only omitempty fields: a new one encodes as `{}`.
  initialStatus: () => ({}),
  validate: (d) => validateDeployment(d),
  validateUpdate: (d, old) => validateDeploymentUpdate(d, old),
  validateStatusUpdate: (d, old) => validateDeploymentStatusUpdate(d, old),
  annotationsBumpGeneration: true,
  warnings: workloadWarnings<Deployment>(true),
});
