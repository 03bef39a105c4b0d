/**
 * openapi — the OpenAPI documents kubectl reads (apply/create, explain).
 *
 * Owns: the /openapi/v3 root and api/v1 documents, the /openapi/v2 document,
 * and the generated component schemas. Does not own: routing (apiserver.ts)
 * or validation itself (api/validation). State: the component schemas,
 * parsed once on first use. No loops or timers.
 *
 * kubectl looks for
 * a PATCH operation per kind that lists a `fieldValidation` query parameter; if
 * present it trusts the server to validate and sends `fieldValidation=Strict`
 * (docs/kubectl-protocol.md §2.3). Operations carry no request body schema, so
 * kubectl computes patches from its built-in types. The component schemas
 * (core-v1-definitions.json, made by generate-openapi.ts) are what
 * `kubectl explain` reads.
 *
 * `/openapi/v2` is an empty gnostic Document in protobuf (the only encoding
 * kubectl asks for). With it kubectl's client-side validator, which it uses
 * for kinds the server does not serve and which kubectl ≤ 1.28 uses for
 * everything, finds no schema and skips validation, as it does on a cluster
 * for unknown kinds — instead of failing with "the server could not find the
 * requested resource".
 */
import { readFileSync } from 'node:fs';
import { groupVersion } from '../../api/kind.ts';
import type { GroupResources } from '../discovery.ts';

let definitions: Record<string, unknown> | undefined;

function componentSchemas(): Record<string, unknown> {
  definitions ??= JSON.parse(readFileSync(new URL('./core-v1-definitions.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return definitions;
}

/** `api/v1` or `apis/<group>/<version>`: a group version's key in /openapi/v3 and its path below it. */
export function openApiV3Path(g: { group: string; version: string }): string {
  return g.group ? `apis/${groupVersion(g)}` : `api/${g.version}`;
}

export function openApiV3Root(groups: readonly GroupResources[]): unknown {
  const paths: Record<string, unknown> = {};
  for (const g of groups) paths[openApiV3Path(g)] = { serverRelativeURL: `/openapi/v3/${openApiV3Path(g)}` };
  return { paths };
}

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, as kube-openapi names operations. */
function operationGroup(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** One group version's document: a PATCH operation per kind (with fieldValidation) and the component schemas. */
export function openApiV3GroupVersion(g: GroupResources): unknown {
  const paths: Record<string, unknown> = {};
  const base = `/${openApiV3Path(g)}`;
  const op = `${operationGroup(g.group)}${g.version.charAt(0).toUpperCase()}${g.version.slice(1)}`;
  for (const r of g.resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const item = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}/{name}` : `${base}/${r.resource}/{name}`;
    const params = [
      { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
    ];
    paths[item] = {
      patch: {
        operationId: `patch${op}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: params,
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.33.0' }, paths, components: { schemas: componentSchemas() } };
}

// kube-openapi answers the deprecated `@v1.0` Accept with this (Go's mime parser rejects '@').
export const openApiV2ContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** openapi_v2.Document{swagger: "2.0", info: {title: "Kubernetes", version}} in protobuf. */
export function openApiV2Document(version = 'v1.33.0'): Buffer {
  const field = (num: number, payload: Buffer) => Buffer.concat([Buffer.from([(num << 3) | 2, payload.length]), payload]);
  const info = Buffer.concat([field(1, Buffer.from('Kubernetes')), field(2, Buffer.from(version))]);
  return Buffer.concat([field(1, Buffer.from('2.0')), field(2, info)]);
}
