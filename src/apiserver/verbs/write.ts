/** CREATE (POST), UPDATE (PUT) and PATCH. */
import { errors, fieldError, FieldErrorType } from '../../api/api.ts';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from '../../api/patch/patch.ts';
import { managerFromUserAgent } from '../../api/managed-fields/managed-fields.ts';
import { boolParam, isDryRun, namespaceOf, type RequestContext } from '../context.ts';
import { checkDecodedBody, checkPatchedObject, fieldValidationOf } from '../field-validation.ts';
import { decodeBody, mediaType, readBody } from '../negotiate.ts';
import { sendJson } from '../status.ts';

/** The request's field manager; kube-apiserver falls back to the User-Agent's first word. */
function fieldManagerOf(ctx: RequestContext): string {
  return ctx.query.get('fieldManager') || managerFromUserAgent(ctx.req.headers['user-agent']);
}

function checkKind(ctx: RequestContext, body: any): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest('the body of the request must be a JSON or YAML object');
  }
  const { kind } = ctx.store.info;
  if (body.kind !== undefined && body.kind !== kind) {
    throw errors.badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: the object provided is unrecognized (must be of type ${kind}): ${body.kind}`);
  }
}

export async function create(ctx: RequestContext): Promise<void> {
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  checkKind(ctx, body);
  checkDecodedBody(ctx.store.info.kind, body, fieldValidationOf(ctx.query), ctx.res);
  const created = ctx.store.create(namespaceOf(ctx), body, { dryRun: isDryRun(ctx.query), fieldManager: fieldManagerOf(ctx) });
  sendJson(ctx.res, 201, created);
}

export async function update(ctx: RequestContext): Promise<void> {
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  checkKind(ctx, body);
  checkDecodedBody(ctx.store.info.kind, body, fieldValidationOf(ctx.query), ctx.res);
  const sub = ctx.info.subresource === 'status' ? 'status' : undefined;
  const updated = ctx.store.update(namespaceOf(ctx), ctx.info.name, body, {
    dryRun: isDryRun(ctx.query),
    subresource: sub,
    fieldManager: fieldManagerOf(ctx),
  });
  sendJson(ctx.res, 200, updated);
}

export async function patch(ctx: RequestContext): Promise<void> {
  const contentType = mediaType(ctx.req.headers['content-type']);
  const raw = await readBody(ctx.req);
  const ns = namespaceOf(ctx);
  const name = ctx.info.name;
  const dryRun = isDryRun(ctx.query);
  const sub = ctx.info.subresource === 'status' ? 'status' : undefined;
  const kind = ctx.store.info.kind;
  const mode = fieldValidationOf(ctx.query);

  if (contentType === 'application/apply-patch+yaml') {
    // Server-side apply: field ownership in metadata.managedFields (api/managed-fields).
    const applied = decodeBody(raw, 'application/yaml');
    checkKind(ctx, applied);
    checkDecodedBody(kind, applied, mode, ctx.res);
    const manager = ctx.query.get('fieldManager');
    if (!manager) {
      throw errors.invalid('PatchOptions', '', [fieldError(FieldErrorType.Required, 'fieldManager', undefined, 'is required for apply patch')], 'meta.k8s.io');
    }
    if (applied.metadata?.name && applied.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (sub) throw errors.methodNotSupported(`${ctx.store.info.resource}/${sub}`, 'apply');
    const { object, created } = ctx.store.apply(ns, name, applied, { fieldManager: manager, force: boolParam(ctx.query, 'force'), dryRun });
    sendJson(ctx.res, created ? 201 : 200, object);
    return;
  }

  let patchBody: unknown;
  let apply: (cur: any) => any;
  switch (contentType) {
    case 'application/strategic-merge-patch+json': {
      const p = decodeBody(raw, 'application/json');
      patchBody = p;
      apply = (cur) => strategicMergePatch(cur, p, kind);
      break;
    }
    case 'application/merge-patch+json': {
      const p = decodeBody(raw, 'application/json');
      patchBody = p;
      apply = (cur) => jsonMergePatch(cur, p);
      break;
    }
    case 'application/json-patch+json': {
      const p = decodeBody(raw, 'application/json');
      if (!Array.isArray(p)) throw errors.badRequest('json patch must be an array of operations');
      patchBody = p;
      apply = (cur) => jsonPatch(cur, p);
      break;
    }
    default:
      throw errors.unsupportedMediaType(contentType);
  }
  const applyChecked = (cur: any) => {
    const next = apply(cur);
    checkPatchedObject(kind, next, patchBody, mode, ctx.res);
    return next;
  };
  const out = ctx.store.patch(ns, name, applyChecked, { dryRun, subresource: sub, fieldManager: fieldManagerOf(ctx) });
  sendJson(ctx.res, 200, out);
}
