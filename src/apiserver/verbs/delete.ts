/** DELETE of one object and DELETECOLLECTION. */
import { ApiError, errors, fieldError, FieldErrorType } from '../../api/api.ts';
import { groupVersion } from '../../api/kind.ts';
import { namespaceOf, type RequestContext } from '../context.ts';
import { boolParam, intParam } from '../query-params.ts';
import { validateDeleteOptions } from '../request-options.ts';
import { decodeBody, readBody } from '../negotiate.ts';
import { jsonTypeWord } from '../../api/go-format.ts';
import { sendObject, successStatus } from '../status.ts';
import { transformObject } from './transform.ts';
import type { DeleteOptions } from '../../registry/registry.ts';
import type { PropagationPolicy } from '../../registry/resource-store.ts';

/**
 * The JSON types of a body's DeleteOptions fields, checked as decoding into
 * the Go struct checks them; a mismatch is a 400 with encoding/json's text.
 */
function checkBodyTypes(body: Record<string, unknown>): void {
  const fail = (value: unknown, field: string, goType: string, struct = 'DeleteOptions') => {
    throw errors.badRequest(`json: cannot unmarshal ${jsonTypeWord(value)} into Go struct field ${struct}.${field} of type ${goType}`);
  };
  const o = body.orphanDependents;
  if (o != null && typeof o !== 'boolean') fail(o, 'orphanDependents', 'bool');
  const policy = body.propagationPolicy;
  if (policy != null && typeof policy !== 'string') fail(policy, 'propagationPolicy', 'v1.DeletionPropagation');
  const g = body.gracePeriodSeconds;
  if (g != null && (typeof g !== 'number' || !Number.isInteger(g))) fail(g, 'gracePeriodSeconds', 'int64');
  const d = body.dryRun;
  if (d != null && !Array.isArray(d)) fail(d, 'dryRun', '[]string');
  if (Array.isArray(d)) for (const v of d) if (v !== null && typeof v !== 'string') fail(v, 'dryRun', 'string');
  const p = body.preconditions;
  if (p == null) return;
  if (typeof p !== 'object' || Array.isArray(p)) return fail(p, 'preconditions', 'v1.Preconditions');
  const pre = p as Record<string, unknown>;
  if (pre.uid != null && typeof pre.uid !== 'string') fail(pre.uid, 'preconditions.uid', 'types.UID', 'Preconditions');
  if (pre.resourceVersion != null && typeof pre.resourceVersion !== 'string') fail(pre.resourceVersion, 'preconditions.resourceVersion', 'string', 'Preconditions');
}

/**
 * The request's DeleteOptions, as kube-apiserver's handlers read them: from
 * the body when there is one (kubectl sends them there), otherwise from the
 * query parameters. Validated as `ValidateDeleteOptions`.
 */
async function deleteOptions(ctx: RequestContext): Promise<DeleteOptions & { orphanDependents?: boolean }> {
  const raw = await readBody(ctx.req);
  const hasBody = raw.toString().trim() !== '';
  // JSON `null` (Go decodes it into zero options) means no options.
  const body = (hasBody ? decodeBody(raw, ctx.req.headers['content-type']) : undefined) ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('DeleteOptions must be an object');
  if (hasBody) checkBodyTypes(body);
  const q = ctx.query;
  const fromQuery = !hasBody;
  const dryRun = fromQuery ? q.getAll('dryRun') : Array.isArray(body.dryRun) ? body.dryRun.map(String) : [];
  const policy = fromQuery ? (q.get('propagationPolicy') ?? undefined) : (body.propagationPolicy ?? undefined);
  const orphan = fromQuery ? (q.has('orphanDependents') ? boolParam(q, 'orphanDependents') : undefined) : (body.orphanDependents ?? undefined);
  validateDeleteOptions(dryRun, policy, orphan);
  const grace = fromQuery ? intParam(q, 'gracePeriodSeconds') : typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined;
  if (grace !== undefined && grace < 0) {
    throw errors.invalid('DeleteOptions', '', [fieldError(FieldErrorType.Invalid, 'gracePeriodSeconds', grace, 'must be greater than or equal to 0')]);
  }
  return {
    gracePeriodSeconds: grace,
    preconditions: fromQuery ? undefined : (body.preconditions ?? undefined),
    dryRun: dryRun.length > 0,
    propagationPolicy: policy as PropagationPolicy | undefined,
    orphanDependents: orphan,
  };
}

export async function del(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const { object, deleted } = ctx.store.delete(namespaceOf(ctx), ctx.info.name, opts);
  // 202 for an object left terminating by orphanDependents=false, as kube-apiserver answers.
  const status = !deleted && opts.orphanDependents === false ? 202 : 200;
  if (!deleted || ctx.store.strategy.returnDeletedObject) {
    sendObject(ctx.res, status, transformObject(ctx, object), ctx.output);
    return;
  }
  sendObject(
    ctx.res,
    200,
    successStatus({ name: object.metadata.name, kind: ctx.store.info.resource, uid: object.metadata.uid }),
  );
}

export async function deleteCollection(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const ns = namespaceOf(ctx);
  const { items, resourceVersion } = ctx.store.list(ns, {
    labelSelector: ctx.query.get('labelSelector') ?? undefined,
    fieldSelector: ctx.query.get('fieldSelector') ?? undefined,
  });
  const out: any[] = [];
  for (const o of items) {
    try {
      out.push(ctx.store.delete(o.metadata.namespace, o.metadata.name, opts).object);
    } catch (err) {
      // Deleted concurrently: skip. Anything else (a failed precondition) fails the request, as in kube-apiserver.
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
  sendObject(ctx.res, 200, {
    kind: ctx.store.info.listKind,
    apiVersion: groupVersion(ctx.store.info),
    metadata: { resourceVersion },
    items: out,
  });
}
