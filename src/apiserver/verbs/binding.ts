/** POST pods/{name}/binding. */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { errors } from '../../api/api.ts';
import type { ResourceStore } from '../../registry/registry.ts';
import { bindPod as bind } from '../../registry/pod-binding.ts';
import type { RequestContext } from '../context.ts';
import { decodeBody, readBody } from '../negotiate.ts';
import { sendObject, successStatus } from '../status.ts';

export async function bindPod(ctx: RequestContext): Promise<void> {
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  const target = body?.target?.name;
  if (!target) throw errors.badRequest('a Binding must name its target node in target.name');
  // Only the pods resource routes its binding subresource here.
  bind(ctx.store as ResourceStore<Pod>, ctx.info.namespace, ctx.info.name, target, ctx.now());
  sendObject(ctx.res, 201, successStatus());
}
