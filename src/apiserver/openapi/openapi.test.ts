import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultTypesDir } from '../../api/validation/schema/generate-schema.ts';
import { definitionsFile, generateDefinitionsSource } from './generate-openapi.ts';
import { openApiV2Document } from './openapi.ts';

test('the committed core-v1-definitions.json matches its generator', () => {
  assert.equal(readFileSync(definitionsFile, 'utf8'), generateDefinitionsSource(defaultTypesDir));
});

test('definitions mark kinds with their GVK, reference types, and carry required fields and docs', () => {
  const defs = JSON.parse(readFileSync(definitionsFile, 'utf8'));
  const pod = defs['io.k8s.api.core.v1.Pod'];
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(pod.properties.spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
  assert.deepEqual(pod.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
  const spec = defs['io.k8s.api.core.v1.PodSpec'];
  assert.ok(spec.required.includes('containers'));
  assert.equal(spec.properties.containers.type, 'array');
  assert.match(spec.properties.containers.description, /List of containers belonging to the pod/);
  assert.equal(spec.properties.activeDeadlineSeconds.format, 'int64');
  assert.deepEqual(defs['io.k8s.api.core.v1.ResourceRequirements'].properties.limits.additionalProperties, {
    allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' }],
  });
  for (const [name, schema] of Object.entries<any>(defs)) {
    for (const p of Object.values<any>(schema.properties ?? {})) {
      const r = p.allOf?.[0]?.$ref ?? p.items?.allOf?.[0]?.$ref ?? p.additionalProperties?.allOf?.[0]?.$ref;
      if (r) assert.ok(defs[r.replace('#/components/schemas/', '')], `${name} refers to ${r}, which is defined`);
    }
  }
});

test('definitions hold each API package under its own name: discovery/v1 EndpointSlice refers to its own EndpointPort and to core ObjectReference', () => {
  const defs = JSON.parse(readFileSync(definitionsFile, 'utf8'));
  const slice = defs['io.k8s.api.discovery.v1.EndpointSlice'];
  assert.deepEqual(slice['x-kubernetes-group-version-kind'], [{ group: 'discovery.k8s.io', kind: 'EndpointSlice', version: 'v1' }]);
  assert.deepEqual(slice.properties.ports.items.allOf, [{ $ref: '#/components/schemas/io.k8s.api.discovery.v1.EndpointPort' }]);
  assert.match(defs['io.k8s.api.discovery.v1.EndpointPort'].properties.port.description, /port represents the port number of the endpoint/);
  assert.ok(defs['io.k8s.api.core.v1.EndpointPort'].required.includes('port'));
  assert.deepEqual(defs['io.k8s.api.discovery.v1.Endpoint'].properties.targetRef.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference' }]);
  assert.deepEqual(defs['io.k8s.api.core.v1.Service']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Service', version: 'v1' }]);
  assert.deepEqual(defs['io.k8s.api.core.v1.ServiceStatus'].properties.conditions.items.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Condition' }]);
});

test('openApiV2Document is a protobuf Document with swagger "2.0"', () => {
  const doc = openApiV2Document('v1.33.0');
  assert.deepEqual([...doc.subarray(0, 5)], [0x0a, 3, 0x32, 0x2e, 0x30]);
  assert.ok(doc.includes(Buffer.from('Kubernetes')));
});
