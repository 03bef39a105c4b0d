/**
 * Test support: Deployments and ReplicaSets as upstream's controller tests
 * build them (deployment_controller_test.go newDeployment and rs), with the
 * apps/v1 defaults filled in.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { IntOrString } from './deployment-spec.ts';

export interface DeploymentOptions {
  replicas: number;
  revisionHistoryLimit?: number;
  maxSurge?: IntOrString;
  maxUnavailable?: IntOrString;
  selector?: Record<string, string>;
  type?: 'RollingUpdate' | 'Recreate';
}

/** newDeployment: RollingUpdate with maxSurge and maxUnavailable 0 unless given (as upstream's helper). */
export function newDeployment(name: string, o: DeploymentOptions): Deployment {
  const labels = o.selector ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: {} },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { ...labels } },
      template: { metadata: { labels: { ...labels } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      strategy:
        o.type === 'Recreate'
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge ?? 0, maxUnavailable: o.maxUnavailable ?? 0 } },
      revisionHistoryLimit: o.revisionHistoryLimit,
    },
  };
}

/** rs: a ReplicaSet of `replicas`, created at `created` (an RFC 3339 time). */
export function rs(name: string, replicas: number, created = '2016-05-20T00:00:00Z', extra: { available?: number; statusReplicas?: number; annotations?: Record<string, string> } = {}): ReplicaSet {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: created, annotations: extra.annotations },
    spec: { replicas, selector: { matchLabels: {} }, template: {} },
    status: { replicas: extra.statusReplicas ?? 0, availableReplicas: extra.available ?? 0 },
  };
}
