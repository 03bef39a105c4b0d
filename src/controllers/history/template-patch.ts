/**
 * The data of a DaemonSet's or StatefulSet's revision (both controllers'
 * getPatch): the strategic merge patch that puts the owner's pod template
 * back, `{"spec":{"template":{…,"$patch":"replace"}}}`, as the bytes Go's
 * encoding/json writes for it.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { goJson } from './hash.ts';

/**
 * The template as Go's encoding/json writes a v1.PodTemplateSpec: a zero
 * creationTimestamp is `null` and a container's `resources` struct is
 * always there, so the bytes (and the hash) are those of a decoded Go struct.
 */
function goTemplate(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const t: any = structuredClone(template ?? {});
  t.metadata = { creationTimestamp: null, ...t.metadata };
  t.spec ??= {};
  t.spec.containers ??= null;
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of t.spec[list] ?? []) c.resources ??= {};
  }
  return t;
}

/** getPatch: the bytes of the patch that restores `template`. */
export function templatePatch(template: PodTemplateSpec | undefined): string {
  return goJson({ spec: { template: { ...goTemplate(template), $patch: 'replace' } } });
}
