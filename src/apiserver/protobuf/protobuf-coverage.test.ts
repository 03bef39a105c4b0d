/**
 * The .proto files carry every field berth's JSON decoder knows (the schema
 * generated from kubernetes-types plus v1.31–v1.33 additions): an object
 * with a field its message lacks would be answered in JSON instead of
 * protobuf, and lose that field in a protobuf watch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { apiGroups } from '../../api/groups.ts';
import { coreV1Schema } from '../../api/validation/schema/core-v1-schema.ts';
import { messageType } from './schema.ts';

/** The message a JSON field of `type` lands in: the field itself, or through the inline structs. */
function fieldOf(type: protobuf.Type, name: string): protobuf.Field | undefined {
  const direct = type.fields[name];
  if (direct && direct.options?.['(embedded)'] !== true) return direct;
  for (const f of type.fieldsArray) {
    if (f.options?.['(embedded)'] !== true || !(f.resolvedType instanceof protobuf.Type)) continue;
    const inner = fieldOf(f.resolvedType, name);
    if (inner) return inner;
  }
  return undefined;
}

/** The struct a schema type code names (`[Container]` → Container), if any. */
function structOf(code: string): string | undefined {
  const bare = code.replace(/^[[{]/, '').replace(/[\]}]$/, '');
  return Object.hasOwn(coreV1Schema, bare) ? bare : undefined;
}

/** Fields kubernetes-types 1.30 still has that v1.33 removed (and so its generated.proto lacks). */
const removedUpstream = new Set(['PodResourceClaim.source']);

function missingFields(typeName: string, type: protobuf.Type, seen: Set<string>, out: string[]): void {
  if (seen.has(`${typeName}@${type.fullName}`)) return;
  seen.add(`${typeName}@${type.fullName}`);
  for (const [name, code] of Object.entries(coreV1Schema[typeName])) {
    if (name === 'apiVersion' || name === 'kind' || removedUpstream.has(`${typeName}.${name}`)) continue;
    const field = fieldOf(type, name);
    if (!field) {
      out.push(`${typeName}.${name} (${type.fullName.slice(1)})`);
      continue;
    }
    const struct = structOf(code);
    if (struct && field.resolvedType instanceof protobuf.Type && !['Time', 'MicroTime', 'FieldsV1', 'RawExtension'].includes(field.resolvedType.name)) {
      missingFields(struct, field.resolvedType, seen, out);
    }
  }
}

test('every field berth decodes for a kind is in its protobuf message, all the way down', () => {
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const group of apiGroups) {
    for (const kind of group.kinds) {
      const { group: g, version, kind: k } = kind.info;
      // Kinds that decode with a schema of their own (events.k8s.io Event, the reviews) are not in the shared one.
      if (kind.schema || !Object.hasOwn(coreV1Schema, k)) continue;
      const type = messageType(g ? `${g}/${version}` : version, k);
      assert.ok(type, `${k} has a message`);
      missingFields(k, type, seen, missing);
    }
  }
  assert.deepEqual(missing, []);
});
