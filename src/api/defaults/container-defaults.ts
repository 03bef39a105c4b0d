/**
 * Scheme defaults for one container (regular, init or ephemeral), as the
 * generated `SetObjectDefaults_Pod` in kubernetes `pkg/apis/core/v1` applies
 * them: `SetDefaults_Container`, `SetDefaults_ContainerPort`, env field refs,
 * resource lists, probes and lifecycle handlers.
 */
import type {
  Container,
  EnvVar,
  LifecycleHandler,
  Probe,
  ResourceRequirements,
} from 'kubernetes-types/core/v1.js';
import { defaultPullPolicy } from './image-reference.ts';
import { canonicalResourceQuantity } from '../validation/quantity.ts';
import { setOwn } from '../json-object.ts';

export const TERMINATION_MESSAGE_PATH = '/dev/termination-log';

/** `SetDefaults_ResourceList` on every quantity of a list, in place. */
export function defaultResourceList(list: Record<string, unknown> | undefined): void {
  if (!list || typeof list !== 'object') return;
  for (const [key, value] of Object.entries(list)) setOwn(list, key, canonicalResourceQuantity(value));
}

/** `SetDefaults_HTTPGetAction`, reached from probes and lifecycle handlers. */
function defaultHandler(handler: LifecycleHandler | Probe | undefined): void {
  if (!handler) return;
  if (handler.httpGet) {
    handler.httpGet.path ||= '/';
    handler.httpGet.scheme ||= 'HTTP';
  }
  // GRPCAction.service carries `+default=""`.
  const grpc = (handler as Probe).grpc;
  if (grpc && grpc.service === undefined) grpc.service = '';
}

/** `SetDefaults_Probe` plus its handler. */
export function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  defaultHandler(probe);
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
}

function defaultEnv(env: EnvVar[] | undefined): void {
  for (const e of env ?? []) {
    const ref = e.valueFrom?.fieldRef;
    if (ref) ref.apiVersion ||= 'v1';
  }
}

export function defaultContainer(c: Container): void {
  c.imagePullPolicy ||= defaultPullPolicy(c.image);
  c.terminationMessagePath ||= TERMINATION_MESSAGE_PATH;
  c.terminationMessagePolicy ||= 'File';
  for (const port of c.ports ?? []) port.protocol ||= 'TCP';
  defaultEnv(c.env);
  // Go always serializes the (non-pointer) resources struct, so it reads `{}` when empty.
  c.resources ??= {};
  const resources: ResourceRequirements = c.resources;
  defaultResourceList(resources.limits as Record<string, unknown> | undefined);
  defaultResourceList(resources.requests as Record<string, unknown> | undefined);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

/** `SetDefaults_Pod`: requests default to limits, per resource, where unset. */
export function defaultRequestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  // Go skips a nil map; an empty one would only add an empty (omitted) requests map.
  if (!limits || Object.keys(limits).length === 0) return;
  c.resources!.requests ??= {};
  const requests = c.resources!.requests;
  for (const [key, value] of Object.entries(limits)) {
    if (!Object.hasOwn(requests, key)) setOwn(requests, key, value);
  }
}
