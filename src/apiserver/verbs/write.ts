/** CREATE (POST), UPDATE (PUT) and PATCH. */
import { errors, goQuote } from '../../api/api.ts';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from '../../api/patch/patch.ts';
import { managerFromUserAgent } from '../../api/managed-fields/managed-fields.ts';
import { namespaceOf, type RequestContext } from '../context.ts';
import { checkDecodedBody, checkPatchedObject } from '../field-validation.ts';
import { checkInputMediaType, decodeBody, mediaType, patchMediaTypes, readBody } from '../negotiate.ts';
import { writeOptions, type WriteOptions } from '../request-options.ts';
import { sendObject } from '../status.ts';
import { addWarnings } from '../warning-header.ts';
import { transformObject } from './transform.ts';
import { createAwaitingDefaultServiceAccount } from '../../api/core/serviceaccount/serviceaccount-admission.ts';
import type { DecodeTarget } from '../protobuf/protobuf.ts';
import { internalTypeName } from './transform.ts';

/** The request's field manager; kube-apiserver falls back to the User-Agent's first word. */
function fieldManagerOf(ctx: RequestContext, opts: WriteOptions): string {
  return opts.fieldManager || managerFromUserAgent(ctx.req.headers['user-agent']);
}

/** The kind a create or update decodes its body into, for the decoder's errors. */
function decodeTarget(ctx: RequestContext): DecodeTarget {
  const { kind, group, version } = ctx.store.info;
  return { apiVersion: group ? `${group}/${version}` : version, kind, internalType: internalTypeName(ctx.store.info) };
}

function checkKind(ctx: RequestContext, body: any): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest('the body of the request must be a JSON or YAML object');
  }
  const { kind, group, version } = ctx.store.info;
  const served = group ? `${group}/${version}` : version;
  if (typeof body.apiVersion === 'string' && body.apiVersion !== '' && body.apiVersion !== served) {
    // kube-apiserver's decoder knows no such group/version for the kind (transformDecodeError's wording).
    const bodyKind = typeof body.kind === 'string' && body.kind ? body.kind : kind;
    const bodyVersion = body.apiVersion.slice(body.apiVersion.lastIndexOf('/') + 1);
    throw errors.badRequest(
      `${bodyKind} in version ${goQuote(bodyVersion)} cannot be handled as a ${kind}: no kind ${goQuote(bodyKind)} is registered for version ${goQuote(body.apiVersion)} in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`,
    );
  }
  if (body.kind !== undefined && body.kind !== kind) {
    throw errors.badRequest(`${kind} in version ${goQuote(version)} cannot be handled as a ${kind}: the object provided is unrecognized (must be of type ${kind}): ${body.kind}`);
  }
}

/**
 * WarningsOnUpdate of the main resource (subresource writes warn of nothing,
 * as their strategies do); `old` is the object the write replaced.
 */
function updateWarnings(ctx: RequestContext, updated: any, old: any): void {
  if (ctx.info.subresource || !old) return;
  addWarnings(ctx.res, ctx.store.strategy.warnings?.(updated, old) ?? []);
}

export async function create(ctx: RequestContext): Promise<void> {
  checkInputMediaType(ctx.req.headers['content-type']);
  const opts = writeOptions(ctx.query, 'CreateOptions');
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type'], decodeTarget(ctx));
  checkKind(ctx, body);
  checkDecodedBody(ctx.store.info.kind, body, opts.fieldValidation, ctx.res, ctx.store.schema);
  ctx.guardWrite?.(body);
  // A pod may wait a moment for its namespace's default ServiceAccount, as kube-apiserver's ServiceAccount admission does.
  const created = await createAwaitingDefaultServiceAccount(() => ctx.store.create(namespaceOf(ctx), structuredClone(body), { dryRun: opts.dryRun, fieldManager: fieldManagerOf(ctx, opts) }));
  addWarnings(ctx.res, ctx.store.strategy.warnings?.(created) ?? []);
  sendObject(ctx.res, 201, transformObject(ctx, created), ctx.output);
}

export async function update(ctx: RequestContext): Promise<void> {
  checkInputMediaType(ctx.req.headers['content-type']);
  const opts = writeOptions(ctx.query, 'UpdateOptions');
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type'], decodeTarget(ctx));
  checkKind(ctx, body);
  checkDecodedBody(ctx.store.info.kind, body, opts.fieldValidation, ctx.res, ctx.store.schema);
  const sub = ctx.info.subresource === 'status' ? 'status' : undefined;
  const old = ctx.store.find(namespaceOf(ctx), ctx.info.name);
  if (!sub) ctx.guardWrite?.(body, old);
  const updated = ctx.store.update(namespaceOf(ctx), ctx.info.name, body, {
    dryRun: opts.dryRun,
    subresource: sub,
    fieldManager: fieldManagerOf(ctx, opts),
  });
  updateWarnings(ctx, updated, old);
  sendObject(ctx.res, 200, transformObject(ctx, updated), ctx.output);
}

export async function patch(ctx: RequestContext): Promise<void> {
  const contentType = mediaType(ctx.req.headers['content-type']);
  const opts = writeOptions(ctx.query, 'PatchOptions', contentType);
  const raw = await readBody(ctx.req);
  const ns = namespaceOf(ctx);
  const name = ctx.info.name;
  const { dryRun, fieldValidation: mode } = opts;
  const sub = ctx.info.subresource === 'status' ? 'status' : undefined;
  const kind = ctx.store.info.kind;

  if (contentType === 'application/apply-patch+yaml') {
    // Server-side apply: field ownership in metadata.managedFields (api/managed-fields).
    const applied = decodeBody(raw, 'application/yaml');
    checkKind(ctx, applied);
    checkDecodedBody(kind, applied, mode, ctx.res, ctx.store.schema);
    if (applied.metadata?.name && applied.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (sub) throw errors.methodNotSupported(`${ctx.store.info.resource}/${sub}`, 'apply');
    const old = ctx.store.find(ns, name);
    if (ctx.guardWrite) {
      // Judged on the merged result, as kube-apiserver judges the object it would store.
      const preview = ctx.store.apply(ns, name, structuredClone(applied), { fieldManager: opts.fieldManager, force: opts.force, dryRun: true });
      ctx.guardWrite(preview.object, preview.created ? undefined : old);
    }
    const { object, created } = ctx.store.apply(ns, name, applied, { fieldManager: opts.fieldManager, force: opts.force, dryRun });
    if (created) addWarnings(ctx.res, ctx.store.strategy.warnings?.(object) ?? []);
    else updateWarnings(ctx, object, old);
    sendObject(ctx.res, created ? 201 : 200, transformObject(ctx, object), ctx.output);
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
      throw errors.unsupportedMediaType(patchMediaTypes);
  }
  const applyChecked = (cur: any) => {
    const next = apply(cur);
    checkPatchedObject(kind, next, patchBody, mode, ctx.res, ctx.store.schema);
    if (!sub) ctx.guardWrite?.(next, old);
    return next;
  };
  const old = ctx.store.find(ns, name);
  const out = ctx.store.patch(ns, name, applyChecked, { dryRun, subresource: sub, fieldManager: fieldManagerOf(ctx, opts) });
  updateWarnings(ctx, out, old);
  sendObject(ctx.res, 200, transformObject(ctx, out), ctx.output);
}
