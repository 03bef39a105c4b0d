/**
 * The type errors kube-apiserver's JSON decoder (sigs.k8s.io/json, a fork of
 * Go's encoding/json) reports when a body does not fit the v1 Go types:
 * `json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`.
 *
 * Go's rules, followed here: values are visited in document order; null is
 * always accepted; a mismatch is remembered and decoding goes on, and the
 * first one is reported; an error from a type's own UnmarshalJSON
 * (resource.Quantity, IntOrString, Time) ends decoding at once and wins. The
 * error names the struct that holds the field and the JSON field path without
 * list indices or map keys. Base64 errors in []byte maps carry no context.
 */
import { coreV1Schema } from './schema/core-v1-schema.ts';
import type { Schema, SchemaType } from './schema/generate-schema.ts';
import { jsonTypeWord } from '../go-format.ts';
import { parseQuantityValue, QuantityErrorMessage, QuantityParseError } from './quantity.ts';
import { own } from '../json-object.ts';

/** Go fields of named string types (`type PullPolicy string`), by `Struct.field`. */
const namedStrings: Record<string, string> = {
  'Container.imagePullPolicy': 'v1.PullPolicy',
  'Container.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'Container.restartPolicy': 'v1.ContainerRestartPolicy',
  'EphemeralContainer.imagePullPolicy': 'v1.PullPolicy',
  'EphemeralContainer.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'EphemeralContainer.restartPolicy': 'v1.ContainerRestartPolicy',
  'ContainerPort.protocol': 'v1.Protocol',
  'PodSpec.restartPolicy': 'v1.RestartPolicy',
  'PodSpec.dnsPolicy': 'v1.DNSPolicy',
  'PodSpec.preemptionPolicy': 'v1.PreemptionPolicy',
  'Toleration.operator': 'v1.TolerationOperator',
  'Toleration.effect': 'v1.TaintEffect',
  'Taint.effect': 'v1.TaintEffect',
  'EmptyDirVolumeSource.medium': 'v1.StorageMedium',
  'HostPathVolumeSource.type': 'v1.HostPathType',
  'VolumeMount.mountPropagation': 'v1.MountPropagationMode',
  'VolumeMount.recursiveReadOnly': 'v1.RecursiveReadOnlyMode',
  'HTTPGetAction.scheme': 'v1.URIScheme',
  'SecurityContext.procMount': 'v1.ProcMountType',
  'SeccompProfile.type': 'v1.SeccompProfileType',
  'AppArmorProfile.type': 'v1.AppArmorProfileType',
  'PodOS.name': 'v1.OSName',
  'ContainerResizePolicy.resourceName': 'v1.ResourceName',
  'ContainerResizePolicy.restartPolicy': 'v1.ResourceResizeRestartPolicy',
  'Lifecycle.stopSignal': 'v1.Signal',
  'NodeSelectorRequirement.operator': 'v1.NodeSelectorOperator',
  'LabelSelectorRequirement.operator': 'v1.LabelSelectorOperator',
  'TopologySpreadConstraint.whenUnsatisfiable': 'v1.UnsatisfiableConstraintAction',
  'TopologySpreadConstraint.nodeAffinityPolicy': 'v1.NodeInclusionPolicy',
  'TopologySpreadConstraint.nodeTaintsPolicy': 'v1.NodeInclusionPolicy',
  'PodStatus.phase': 'v1.PodPhase',
  'PodStatus.qosClass': 'v1.PodQOSClass',
  'PodCondition.type': 'v1.PodConditionType',
  'PodCondition.status': 'v1.ConditionStatus',
  'Secret.type': 'v1.SecretType',
  'NamespaceStatus.phase': 'v1.NamespacePhase',
  'NamespaceCondition.type': 'v1.NamespaceConditionType',
  'NamespaceCondition.status': 'v1.ConditionStatus',
  'ObjectMeta.uid': 'types.UID',
  'OwnerReference.uid': 'types.UID',
  'ObjectReference.uid': 'types.UID',
  'ManagedFieldsEntry.operation': 'v1.ManagedFieldsOperationType',
  'ImageVolumeSource.pullPolicy': 'v1.PullPolicy',
  'ServiceSpec.type': 'v1.ServiceType',
  'ServiceSpec.sessionAffinity': 'v1.ServiceAffinity',
  'ServiceSpec.externalTrafficPolicy': 'v1.ServiceExternalTrafficPolicy',
  'ServiceSpec.internalTrafficPolicy': 'v1.ServiceInternalTrafficPolicy',
  'ServiceSpec.ipFamilyPolicy': 'v1.IPFamilyPolicy',
  'ServicePort.protocol': 'v1.Protocol',
  'EndpointPort.protocol': 'v1.Protocol',
  'PortStatus.protocol': 'v1.Protocol',
  'LoadBalancerIngress.ipMode': 'v1.LoadBalancerIPMode',
  'Condition.status': 'v1.ConditionStatus',
  'EndpointSlice.addressType': 'v1.AddressType',
};

/** Go element types of named string lists, by `Struct.field`. */
const namedStringLists: Record<string, string> = {
  'Capabilities.add': '[]v1.Capability',
  'Capabilities.drop': '[]v1.Capability',
  'NamespaceSpec.finalizers': '[]v1.FinalizerName',
  'ServiceSpec.ipFamilies': '[]v1.IPFamily',
  'PersistentVolumeClaimSpec.accessModes': '[]v1.PersistentVolumeAccessMode',
};

/** int64 fields; every other integer field of core/v1 is int32. */
export const int64Fields = new Set([
  'ObjectMeta.generation',
  'ObjectMeta.deletionGracePeriodSeconds',
  'PodSpec.activeDeadlineSeconds',
  'PodSpec.terminationGracePeriodSeconds',
  'PodSecurityContext.runAsUser',
  'PodSecurityContext.runAsGroup',
  'PodSecurityContext.fsGroup',
  'PodSecurityContext.supplementalGroups',
  'SecurityContext.runAsUser',
  'SecurityContext.runAsGroup',
  'Probe.terminationGracePeriodSeconds',
  'SleepAction.seconds',
  'ServiceAccountTokenProjection.expirationSeconds',
  'ContainerImage.sizeBytes',
  'LinuxContainerUser.uid',
  'LinuxContainerUser.gid',
  'LinuxContainerUser.supplementalGroups',
  'PodStatus.observedGeneration',
  'PodCondition.observedGeneration',
  'Event.count',
  'Condition.observedGeneration',
]);

/** Resource lists are the named map type v1.ResourceList. */
export const resourceLists = new Set([
  'ResourceRequirements.limits',
  'ResourceRequirements.requests',
  'PodSpec.overhead',
  'ContainerStatus.allocatedResources',
  'VolumeResourceRequirements.limits',
  'VolumeResourceRequirements.requests',
]);

/** Maps of []byte (base64 in JSON). */
const byteMaps = new Set(['Secret.data', 'ConfigMap.binaryData']);

const int32Range = [-(2 ** 31), 2 ** 31 - 1] as const;
const int64Range = [-(2 ** 63), 2 ** 63] as const;

class Fatal extends Error {}

interface Ctx {
  schema: Schema;
  /** The first saved (non-fatal) error. */
  saved?: string;
}

/** The Go type name of a schema type at `owner.field` (owner '' for list elements). */
function goTypeName(schema: Schema, type: SchemaType, key: string): string {
  const named = own(namedStrings, key) ?? own(namedStringLists, key);
  if (named) return named;
  if (key && resourceLists.has(key)) return 'v1.ResourceList';
  if (key && byteMaps.has(key)) return 'map[string][]uint8';
  if (type.startsWith('[')) return `[]${goTypeName(schema, type.slice(1, -1), key && int64Fields.has(key) ? key : '')}`;
  if (type.startsWith('{')) return `map[string]${goTypeName(schema, type.slice(1, -1), '')}`;
  switch (type) {
    case 's':
      return 'string';
    case 'n':
      return key && int64Fields.has(key) ? 'int64' : 'int32';
    case 'b':
      return 'bool';
    case 'q':
      return 'resource.Quantity';
    case 'io':
      return 'intstr.IntOrString';
    case 't':
      return 'v1.Time';
    case '*':
      return 'interface {}';
  }
  return own(schema, type) ? `v1.${type}` : type;
}

interface Where {
  /** The Go struct whose field holds the value ('' at the top). */
  struct: string;
  /** JSON field names from the root. */
  stack: string[];
  /** `Struct.field` of the field the value belongs to ('' for elements). */
  key: string;
}

function save(ctx: Ctx, value: unknown, goType: string, where: Where, literal?: string): void {
  if (ctx.saved) return;
  const what = literal ?? jsonTypeWord(value);
  ctx.saved = where.stack.length
    ? `json: cannot unmarshal ${what} into Go struct field ${where.struct}.${where.stack.join('.')} of type ${goType}`
    : `json: cannot unmarshal ${what} into Go value of type ${goType}`;
}

function visit(ctx: Ctx, type: SchemaType, value: unknown, where: Where): void {
  if (value === null || value === undefined) return;
  const { schema } = ctx;
  if (type.startsWith('[')) {
    if (!Array.isArray(value)) return save(ctx, value, goTypeName(schema, type, where.key), where);
    const inner = type.slice(1, -1);
    const elemWhere = { ...where, key: where.key && int64Fields.has(where.key) ? where.key : '' };
    const namedList = own(namedStringLists, where.key);
    if (namedList) {
      const elemType = namedList.slice(2);
      for (const v of value) if (v !== null && typeof v !== 'string') save(ctx, v, elemType, where);
      return;
    }
    for (const v of value) visit(ctx, inner, v, elemWhere);
    return;
  }
  if (type.startsWith('{')) {
    if (typeof value !== 'object' || Array.isArray(value)) return save(ctx, value, goTypeName(schema, type, where.key), where);
    const inner = type.slice(1, -1);
    const isBytes = byteMaps.has(where.key);
    const isResources = resourceLists.has(where.key);
    for (const v of Object.values(value as Record<string, unknown>)) {
      if (isBytes) checkBase64(ctx, v, where);
      else visit(ctx, isResources ? 'q' : inner, v, { ...where, key: '' });
    }
    return;
  }
  switch (type) {
    case 's':
      if (typeof value !== 'string') save(ctx, value, goTypeName(schema, type, where.key), where);
      return;
    case 'b':
      if (typeof value !== 'boolean') save(ctx, value, 'bool', where);
      return;
    case 'n': {
      const goType = goTypeName(schema, type, where.key);
      if (typeof value !== 'number') return save(ctx, value, goType, where);
      const [min, max] = goType === 'int64' ? int64Range : int32Range;
      if (!Number.isInteger(value) || value < min || value > max) save(ctx, value, goType, where, `number ${String(value)}`);
      return;
    }
    case 'q':
      try {
        if (typeof value === 'boolean' || typeof value === 'object') throw new QuantityParseError('QuantityFormatWrong', QuantityErrorMessage.FormatWrong);
        parseQuantityValue(value);
      } catch (err) {
        if (err instanceof QuantityParseError) throw new Fatal(err.message);
        throw err;
      }
      return;
    case 'io':
      if (typeof value === 'string') return;
      if (typeof value === 'number') {
        if (!Number.isInteger(value) || value < int32Range[0] || value > int32Range[1]) {
          throw new Fatal(`json: cannot unmarshal number ${String(value)} into Go value of type int32`);
        }
        return;
      }
      throw new Fatal(`json: cannot unmarshal ${jsonTypeWord(value)} into Go value of type int32`);
    case 't':
      if (typeof value !== 'string') throw new Fatal(`json: cannot unmarshal ${jsonTypeWord(value)} into Go value of type string`);
      if (value !== '' && Number.isNaN(Date.parse(value))) {
        throw new Fatal(`parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`);
      }
      return;
    case '*':
      return;
  }
  const fields = own(schema, type);
  if (!fields) return;
  if (typeof value !== 'object' || Array.isArray(value)) return save(ctx, value, `v1.${type}`, where);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const t = own(fields, k);
    if (t === undefined) continue;
    visit(ctx, t, v, { struct: type, stack: [...where.stack, k], key: `${type}.${k}` });
  }
}

function checkBase64(ctx: Ctx, v: unknown, where: Where): void {
  if (v === null) return;
  if (typeof v !== 'string') return save(ctx, v, '[]uint8', where);
  // Go's StdEncoding: padded, no whitespace or newlines tolerated except \r\n.
  const s = v.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(s);
  let at = bad ? bad.index : -1;
  if (at < 0 && s.length % 4 !== 0) at = s.length - (s.length % 4);
  if (at < 0) {
    const pad = s.indexOf('=');
    if (pad >= 0 && (pad < s.length - 2 || /[^=]/.test(s.slice(pad)))) at = pad;
  }
  if (at >= 0 && !ctx.saved) ctx.saved = `illegal base64 data at input byte ${at}`;
}

/**
 * The error kube-apiserver's decoder gives for `obj` as a v1 `kind`, or
 * undefined when the value types fit. Unknown fields are not its concern
 * (unknown-fields.ts).
 */
export function goDecodeError(kind: string, obj: unknown, schema: Schema = coreV1Schema): string | undefined {
  if (!own(schema, kind)) return undefined;
  const ctx: Ctx = { schema };
  try {
    visit(ctx, kind, obj, { struct: '', stack: [], key: '' });
  } catch (err) {
    if (err instanceof Fatal) return err.message;
    throw err;
  }
  return ctx.saved;
}
