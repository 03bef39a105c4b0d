/**
 * The wide columns every workload table shares (Containers, Images), as
 * kubernetes `pkg/printers/internalversion/printers.go` defines them, and
 * `layoutContainerCells`: the template's container names and images, each
 * joined with ','.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { column } from '../printers/table.ts';

export const containersColumn = column('Containers', 'string', 'Names of each container in the template.', { priority: 1 });
export const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', { priority: 1 });

/** `[names, images]` of the template's (non-init) containers. */
export function containerCells(template: PodTemplateSpec | undefined): [string, string] {
  const containers = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}
