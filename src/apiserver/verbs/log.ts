/**
 * GET pods/{name}/log: validates the container name as kube-apiserver does,
 * then streams text/plain from the node.
 */
import { errors, fieldError, FieldErrorType, type FieldError, type Pod } from '../../api/api.ts';
import type { RequestContext } from '../context.ts';
import { boolParam, intParam } from '../query-params.ts';
import type { LogOptions, NodeStreams } from '../node-streams.ts';

/** kube-apiserver's container defaulting and checks for logs/exec/attach. */
export function resolveContainer(pod: Pod, requested: string | null): string {
  const spec = pod.spec!;
  const all = [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
  const name = pod.metadata!.name!;
  if (!requested) {
    if (spec.containers.length === 1) return spec.containers[0].name;
    const regular = spec.containers.map((c) => c.name).join(' ');
    const init = (spec.initContainers ?? []).map((c) => c.name).join(' ');
    let msg = `a container name must be specified for pod ${name}, choose one of: [${regular}]`;
    if (init) msg += ` or one of the init containers: [${init}]`;
    throw errors.badRequest(msg);
  }
  if (!all.some((c) => c.name === requested)) {
    throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  return requested;
}

export async function podLog(ctx: RequestContext, node: NodeStreams): Promise<void> {
  const pod = ctx.store.get(ctx.info.namespace, ctx.info.name) as Pod;
  const q = ctx.query;
  const tailLines = intParam(q, 'tailLines');
  const sinceSeconds = intParam(q, 'sinceSeconds');
  const limitBytes = intParam(q, 'limitBytes');
  const sinceTime = q.get('sinceTime') ?? undefined;
  if (sinceTime !== undefined && Number.isNaN(Date.parse(sinceTime))) {
    throw errors.badRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}" as "2006"`);
  }
  // ValidatePodLogOptions, answered as kube-apiserver does: 422 for kind PodLogOptions.
  const invalid: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) invalid.push(fieldError(FieldErrorType.Invalid, 'tailLines', tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1) invalid.push(fieldError(FieldErrorType.Invalid, 'limitBytes', limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    invalid.push(fieldError(FieldErrorType.Forbidden, '', undefined, 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (sinceSeconds !== undefined && sinceSeconds < 1) {
    invalid.push(fieldError(FieldErrorType.Invalid, 'sinceSeconds', sinceSeconds, 'must be greater than 0'));
  }
  if (invalid.length) throw errors.invalid('PodLogOptions', ctx.info.name, invalid);
  const opts: LogOptions = {
    container: resolveContainer(pod, q.get('container')),
    follow: boolParam(q, 'follow'),
    previous: boolParam(q, 'previous'),
    timestamps: boolParam(q, 'timestamps'),
    tailLines,
    sinceSeconds,
    sinceTime,
    limitBytes,
  };
  let started = false;
  const out = ctx.res;
  // Headers go out with the first byte, so a NodeStreams error thrown before
  // any output still becomes a proper Status response.
  const origWrite = out.write.bind(out);
  out.write = ((chunk: any, ...rest: any[]) => {
    if (!started) {
      started = true;
      out.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    }
    return origWrite(chunk, ...rest);
  }) as typeof out.write;
  await node.logs(pod, opts, out, ctx.signal);
  if (!started) {
    started = true;
    out.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  }
  out.end();
}
