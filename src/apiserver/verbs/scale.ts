/**
 * The `scale` subresource (kube-apiserver's ScaleREST of deployments and
 * replicasets): the owner seen as an autoscaling/v1 Scale. GET reads it; PUT
 * and PATCH write a Scale whose spec.replicas becomes the owner's, through
 * the owner's store, so the owner's own validation, resourceVersion
 * precondition (a stale Scale resourceVersion is 409) and generation rules
 * apply. Which kinds have one is declared by their Kind (`subresources`).
 *
 * Pure parts (scaleOf, validateScale, ownerWithScale) are exported for tests;
 * `scale` is the thin handler the apiserver routes `…/NAME/scale` to.
 */
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import { ApiError, errors, fieldError, FieldErrorType, goQuote, type FieldError } from '../../api/api.ts';
import { labelSelectorString } from '../../api/label-selector-string.ts';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from '../../api/patch/patch.ts';
import { buildTable } from '../../api/printers/printers.ts';
import { column, metaOf, nameColumn, type Printer } from '../../api/printers/table.ts';
import { managerFromUserAgent } from '../../api/managed-fields/managed-fields.ts';
import { namespaceOf, type RequestContext } from '../context.ts';
import { checkInputMediaType, decodeBody, mediaType, patchMediaTypes, readBody } from '../negotiate.ts';
import { writeOptions, type WriteOptions } from '../request-options.ts';
import { sendObject } from '../status.ts';

/** A workload with spec.replicas and spec.selector (Deployment, ReplicaSet). */
interface Scalable {
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string };
  spec?: { replicas?: number; selector?: unknown };
  status?: { replicas?: number };
}

const int32Max = 2 ** 31 - 1;

/**
 * `scaleFromDeployment`/`scaleFromReplicaSet`: the owner's identity and
 * resourceVersion, spec.replicas (omitted at 0: autoscaling/v1 ScaleSpec is
 * omitempty), status.replicas and the selector's text form.
 */
export function scaleOf(owner: Scalable): Scale {
  const m = owner.metadata;
  const metadata: Scale['metadata'] = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  for (const k of Object.keys(metadata) as (keyof typeof metadata)[]) if (metadata[k] === undefined) delete metadata[k];
  let selector: string;
  try {
    selector = labelSelectorString(owner.spec?.selector as never);
  } catch (err) {
    // kube-apiserver answers the conversion error (`invalid label selector`) as an internal error.
    throw new ApiError(500, 'InternalError', `Internal error occurred: invalid label selector: ${err instanceof Error ? err.message : String(err)}`);
  }
  const replicas = owner.spec?.replicas ?? 0;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: replicas === 0 ? {} : { replicas },
    status: { replicas: owner.status?.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/**
 * `kubectl get deploy/NAME --subresource=scale` columns: `printScale` in
 * kubernetes `pkg/printers/internalversion/printers.go` (v1.33).
 */
export const scalePrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'replicas is the desired number of instances for the scaled object.'),
    column('Available', 'integer', 'replicas is the actual number of observed instances of the scaled object.'),
  ],
  cells(obj) {
    const s = obj as Scale;
    return [metaOf(s).name ?? '', s.spec?.replicas ?? 0, s.status?.replicas ?? 0];
  },
};

/**
 * Decoding a Scale body: only the types Go's decoder would refuse
 * (spec.replicas must fit an int32). `patched` is the patch when the Scale
 * came from one (then the error is a 422 on the field `patch`).
 */
function checkScaleTypes(body: any, patched: unknown): void {
  const replicas = body?.spec?.replicas;
  if (replicas === undefined || replicas === null) return;
  if (typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= -(2 ** 31) && replicas <= int32Max) return;
  const got = typeof replicas === 'number' ? `number ${replicas}` : typeof replicas === 'string' ? 'string' : typeof replicas === 'boolean' ? 'bool' : Array.isArray(replicas) ? 'array' : 'object';
  const why = `json: cannot unmarshal ${got} into Go struct field ScaleSpec.spec.replicas of type int32`;
  if (patched !== undefined) throw errors.invalid('', '', [fieldError(FieldErrorType.Invalid, 'patch', JSON.stringify(patched), why)]);
  throw errors.badRequest(`Scale in version "v1" cannot be handled as a Scale: ${why}`);
}

/** `autoscaling/validation.ValidateScale` (the parts a Scale write can get wrong). */
export function validateScale(scale: Scale): FieldError[] {
  const errs: FieldError[] = [];
  if (!scale.metadata?.name) errs.push(fieldError(FieldErrorType.Required, 'metadata.name', undefined, 'name or generateName is required'));
  const replicas = scale.spec?.replicas ?? 0;
  if (replicas < 0) errs.push(fieldError(FieldErrorType.Invalid, 'spec.replicas', replicas, 'must be greater than or equal to 0'));
  return errs;
}

/**
 * `scaleUpdatedObjectInfo.UpdatedObject`: the owner with the Scale's
 * replicas, conditional on the Scale's resourceVersion (unconditional when
 * it has none). A Scale naming another uid is a Conflict; an invalid Scale
 * is `Scale.autoscaling "NAME" is invalid`.
 */
export function ownerWithScale<T extends Scalable>(owner: T, scale: Scale, resource: string, group: string): T {
  const name = owner.metadata.name ?? '';
  const uid = scale.metadata?.uid;
  if (uid && uid !== owner.metadata.uid) {
    throw errors.conflict(`${resource}/scale`, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${owner.metadata.uid ?? ''}`, group);
  }
  const errs = validateScale(scale);
  if (errs.length > 0) throw errors.invalid('Scale', name, errs, 'autoscaling');
  const next = structuredClone(owner);
  next.spec = { ...next.spec, replicas: scale.spec?.replicas ?? 0 };
  const rv = scale.metadata?.resourceVersion;
  if (rv) next.metadata.resourceVersion = rv;
  else delete next.metadata.resourceVersion;
  return next;
}

/** Checks apiVersion/kind of a Scale body as the decoder does for the subresource's kind. */
function checkScaleKind(body: any): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the body of the request must be a JSON or YAML object');
  const apiVersion = body.apiVersion;
  const kind = body.kind;
  if (typeof apiVersion === 'string' && apiVersion !== '' && apiVersion !== 'autoscaling/v1') {
    const bodyKind = typeof kind === 'string' && kind ? kind : 'Scale';
    throw errors.badRequest(
      `${bodyKind} in version ${goQuote(apiVersion.slice(apiVersion.lastIndexOf('/') + 1))} cannot be handled as a Scale: no kind ${goQuote(bodyKind)} is registered for version ${goQuote(apiVersion)} in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`,
    );
  }
  if (kind !== undefined && kind !== 'Scale') {
    throw errors.badRequest(`Scale in version "v1" cannot be handled as a Scale: the object provided is unrecognized (must be of type Scale): ${kind}`);
  }
}

function fieldManagerOf(ctx: RequestContext, opts: WriteOptions): string {
  return opts.fieldManager || managerFromUserAgent(ctx.req.headers['user-agent']);
}

/** A Scale patch, by Content-Type: applied to the current Scale. */
function scalePatcher(contentType: string, raw: Buffer): { patch: unknown; apply: (cur: Scale) => unknown } {
  switch (contentType) {
    case 'application/strategic-merge-patch+json': {
      const p = decodeBody(raw, 'application/json');
      return { patch: p, apply: (cur) => strategicMergePatch(cur, p, 'Scale') };
    }
    case 'application/merge-patch+json': {
      const p = decodeBody(raw, 'application/json');
      return { patch: p, apply: (cur) => jsonMergePatch(cur, p) };
    }
    case 'application/json-patch+json': {
      const p = decodeBody(raw, 'application/json');
      if (!Array.isArray(p)) throw errors.badRequest('json patch must be an array of operations');
      return { patch: p, apply: (cur) => jsonPatch(cur, p) };
    }
    case 'application/apply-patch+yaml': {
      // Server-side apply of a Scale sets the replicas it names; field ownership of
      // the owner's spec.replicas is recorded as an update by the applying manager.
      const applied = decodeBody(raw, 'application/yaml');
      checkScaleKind(applied);
      return {
        patch: applied,
        apply: (cur) => (applied?.spec?.replicas === undefined ? cur : { ...cur, spec: { ...cur.spec, replicas: applied.spec.replicas } }),
      };
    }
    default:
      throw errors.unsupportedMediaType(patchMediaTypes);
  }
}

/** GET, PUT and PATCH of `/apis/apps/v1/namespaces/NS/{deployments,replicasets}/NAME/scale`. */
export async function scale(ctx: RequestContext): Promise<void> {
  const { resource, group } = ctx.store.info;
  const ns = namespaceOf(ctx);
  const name = ctx.info.name;
  const read = () => {
    const owner = ctx.store.find(ns, name);
    if (!owner) throw errors.notFound(`${resource}/scale`, name, group);
    return owner as Scalable;
  };
  switch (ctx.info.verb) {
    case 'get': {
      const s = scaleOf(read());
      if (ctx.table) {
        const table = buildTable(scalePrinter, [s], { now: ctx.now(), includeObject: ctx.table.includeObject, resourceVersion: s.metadata?.resourceVersion });
        sendObject(ctx.res, 200, table, ctx.output);
        return;
      }
      sendObject(ctx.res, 200, s, ctx.output);
      return;
    }
    case 'update': {
      checkInputMediaType(ctx.req.headers['content-type']);
      const opts = writeOptions(ctx.query, 'UpdateOptions');
      const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
      checkScaleKind(body);
      checkScaleTypes(body, undefined);
      if (body.metadata?.name && body.metadata.name !== name) {
        throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
      }
      const owner = read();
      const given: Scale = { ...body, metadata: { ...body.metadata, name, namespace: owner.metadata.namespace } };
      const updated = ctx.store.update(ns, name, ownerWithScale(owner, given, resource, group), { dryRun: opts.dryRun, fieldManager: fieldManagerOf(ctx, opts) });
      sendObject(ctx.res, 200, scaleOf(updated as Scalable));
      return;
    }
    case 'patch': {
      const contentType = mediaType(ctx.req.headers['content-type']);
      const opts = writeOptions(ctx.query, 'PatchOptions', contentType);
      const { patch, apply } = scalePatcher(contentType, await readBody(ctx.req));
      read();
      const updated = ctx.store.patch(
        ns,
        name,
        (owner) => {
          const next = apply(scaleOf(owner as Scalable)) as Scale;
          checkScaleKind(next);
          checkScaleTypes(next, patch);
          return ownerWithScale(owner as Scalable, next, resource, group);
        },
        { dryRun: opts.dryRun, fieldManager: fieldManagerOf(ctx, opts) },
      );
      sendObject(ctx.res, 200, scaleOf(updated as Scalable));
      return;
    }
    default:
      throw errors.methodNotSupported(`${resource}/scale`, ctx.info.verb);
  }
}
