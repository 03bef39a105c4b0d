/**
 * The OpenAPI v3 documents kubectl reads before apply/create. kubectl looks for
 * a PATCH operation per kind that lists a `fieldValidation` query parameter; if
 * present it trusts the server to validate and sends `fieldValidation=Strict`
 * (kubectl-protocol.md §2.3). Operations carry no request body schema, so
 * kubectl computes patches from its built-in types.
 */
import type { ResourceInfo } from '../registry/registry.ts';

export function openApiV3Root(): unknown {
  return { paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1' } } };
}

export function openApiV3CoreV1(resources: readonly ResourceInfo[]): unknown {
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const item = r.namespaced ? `/api/v1/namespaces/{namespace}/${r.resource}/{name}` : `/api/v1/${r.resource}/{name}`;
    const params = [
      { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
    ];
    paths[item] = {
      patch: {
        operationId: `patchCoreV1${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: params,
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.33.0' }, paths };
}
