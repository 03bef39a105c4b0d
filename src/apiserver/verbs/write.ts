/** CREATE (POST), UPDATE (PUT) and PATCH. */
import { errors } from '../../api/api.ts';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from '../../api/patch/patch.ts';
import { isDryRun, namespaceOf, type RequestContext } from '../context.ts';
import { checkDecodedBody, checkPatchedObject, fieldValidationOf } from '../field-validation.ts';
import { decodeBody, mediaType, readBody } from '../negotiate.ts';
import { sendJson } from '../status.ts';

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
  const created = ctx.store.create(namespaceOf(ctx), body, { dryRun: isDryRun(ctx.query) });
  sendJson(ctx.res, 201, created);
}

export async function update(ctx: RequestContext): Promise<void> {
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  checkKind(ctx, body);
  checkDecodedBody(ctx.store.info.kind, body, fieldValidationOf(ctx.query), ctx.res);
  const sub = ctx.info.subresource === 'status' ? 'status' : undefined;
  const updated = ctx.store.update(namespaceOf(ctx), ctx.info.name, body, { dryRun: isDryRun(ctx.query), subresource: sub });
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
    // Server-side apply without managed fields: create when absent, otherwise
    // merge the applied configuration into the live object.
    const applied = decodeBody(raw, 'application/yaml');
    checkKind(ctx, applied);
    checkDecodedBody(kind, applied, mode, ctx.res);
    if (applied.metadata?.name && applied.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (!ctx.store.find(ns, name)) {
      applied.metadata = { ...(applied.metadata ?? {}), name };
      sendJson(ctx.res, 201, ctx.store.create(ns, applied, { dryRun }));
      return;
    }
    const out = ctx.store.patch(ns, name, (cur) => strategicMergePatch(cur, applied, kind), { dryRun, subresource: sub });
    sendJson(ctx.res, 200, out);
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
  const out = ctx.store.patch(ns, name, applyChecked, { dryRun, subresource: sub });
  sendJson(ctx.res, 200, out);
}
