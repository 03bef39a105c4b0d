/**
 * `kubectl get controllerrevisions` columns, from `printControllerRevision`
 * in kubernetes `pkg/printers/internalversion/printers.go` (v1.33).
 * CONTROLLER is the controlling owner as `kind.group/name` in lower case
 * (`daemonset.apps/fluentd`), `<none>` without one.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';

const docs = {
  controller: 'Controller of the object',
  revision: 'Revision indicates the revision of the state represented by Data.',
};

/** `formatResourceName(gvk.GroupKind(), name, withKind=true)` for the controller reference. */
function controllerName(ref: OwnerReference | undefined): string {
  if (!ref) return '<none>';
  const apiVersion = ref.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const kind = ref.kind ?? '';
  if (kind === '' && group === '') return ref.name;
  const groupKind = group ? `${kind}.${group}` : kind;
  return `${groupKind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [nameColumn, column('Controller', 'string', docs.controller), column('Revision', 'string', docs.revision), ageColumn],
  cells(obj, now) {
    const cr = obj as ControllerRevision;
    const meta = metaOf(cr);
    return [meta.name ?? '', controllerName(meta.ownerReferences?.find((r) => r.controller === true)), cr.revision ?? 0, translateTimestampSince(meta.creationTimestamp, now)];
  },
};
