/**
 * The protobuf message types berth knows, loaded once from every `k8s-*.proto`
 * beside this file, and how an apiVersion and kind find their message.
 *
 * A group version's messages live in the .proto package named after it:
 * core/v1 (and meta/v1) in `berth.k8s`, any other group in
 * `berth.k8s.<first label of the group>.<version>` (apps/v1 in
 * `berth.k8s.apps.v1`, discovery.k8s.io/v1 in `berth.k8s.discovery.v1`), as
 * upstream names its packages `k8s.io.api.<label>.<version>`. A kind is
 * readable and writable in protobuf exactly when its package declares a
 * message of that name: adding a group's .proto file is all it takes.
 * `<Kind>List` is synthesised when not declared (every upstream list is
 * ListMeta metadata = 1, repeated items = 2); the meta/v1 kinds every group
 * version carries (Status, DeleteOptions, …) are found in any apiVersion.
 *
 * Field options, read by the JSON mapping (json.ts):
 *   (ptr)       a Go pointer: on the wire only when set, so a zero value is kept;
 *   (embedded)  a struct embedded with `json:",inline"`: its fields are the parent's;
 *   (keep)      a field whose json tag has no omitempty: its zero value is rendered.
 */
import protobuf from 'protobufjs';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));

/** meta/v1 kinds registered in every group version (metav1.AddToGroupVersion). */
const metaKinds = new Set(['Status', 'DeleteOptions', 'WatchEvent']);

let root: protobuf.Root | undefined;

/** The parsed messages of every .proto file in this folder. */
export function protoRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  // Imports name files relative to the importing one, as protoc's -I does for this folder.
  r.resolvePath = (origin, target) => (target.startsWith('/') ? target : fileURLToPath(new URL(target, `file://${origin}`)));
  const files = readdirSync(folder)
    .filter((f) => /^k8s-.*\.proto$/.test(f))
    .sort()
    .map((f) => `${folder}${f}`);
  r.loadSync(files, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

/** The .proto package of a group version's messages. */
export function packageOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return 'berth.k8s';
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return `berth.k8s.${group.split('.')[0]}.${version}`;
}

function lookup(name: string): protobuf.Type | undefined {
  const found = protoRoot().lookup(name);
  return found instanceof protobuf.Type ? found : undefined;
}

/** The message of `kind` in `apiVersion`, or undefined when berth has no schema for it. */
export function messageType(apiVersion: string, kind: string): protobuf.Type | undefined {
  if (!kind || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  if (metaKinds.has(kind)) return lookup(`berth.k8s.${kind}`);
  const pkg = packageOf(apiVersion);
  if (pkg === 'berth.k8s' && apiVersion !== 'v1') return undefined;
  const declared = lookup(`${pkg}.${kind}`);
  if (declared) return declared;
  if (!kind.endsWith('List')) return undefined;
  const item = lookup(`${pkg}.${kind.slice(0, -'List'.length)}`);
  if (item?.fields.metadata?.resolvedType?.fullName !== '.berth.k8s.ObjectMeta') return undefined;
  const list = new protobuf.Type(kind)
    .add(new protobuf.Field('metadata', 1, 'berth.k8s.ListMeta'))
    .add(new protobuf.Field('items', 2, item.fullName.slice(1), 'repeated', undefined, { '(keep)': true }));
  item.parent!.add(list);
  list.resolveAll();
  return list;
}

/** The envelope, RawExtension and WatchEvent messages. */
export const wellKnown = {
  unknown: () => lookup('berth.k8s.Unknown')!,
  watchEvent: () => lookup('berth.k8s.WatchEvent')!,
};

export const isPointer = (field: protobuf.Field): boolean => field.options?.['(ptr)'] === true;
export const isEmbedded = (field: protobuf.Field): boolean => field.options?.['(embedded)'] === true;
export const keepsZero = (field: protobuf.Field): boolean => field.options?.['(keep)'] === true;
