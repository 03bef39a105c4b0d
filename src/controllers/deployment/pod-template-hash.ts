/**
 * The pod-template-hash: the label a Deployment puts on the ReplicaSet it
 * creates for a template, on that ReplicaSet's selector and pod template,
 * and the suffix of its name (`web-5d4f8b9c7`), as kube-controller-manager's
 * controller.ComputeHash does: FNV-32a over the template, then over
 * status.collisionCount (as 8 little-endian bytes) when it is set, the
 * 32-bit sum written in decimal and each digit mapped through
 * SafeEncodeString's alphabet.
 *
 * The bytes hashed are berth's canonical JSON of the template (keys sorted,
 * absent values left out), not Go's spew dump, so the hashes differ from a
 * real cluster's; they are stable across restarts and versions of berth as
 * long as the stored template is. A different hash for the same template
 * is harmless anyway: the new ReplicaSet is found by comparing templates
 * (equalIgnoreHash), never by hash.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

/** apps/v1 DefaultDeploymentUniqueLabelKey. */
export const podTemplateHashLabel = 'pod-template-hash';

/** apimachinery's rand.SafeEncodeString alphabet: no vowels, no 0/1/3, so no words and no look-alikes. */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) out += alphanums[ch % alphanums.length];
  return out;
}

/** JSON with object keys sorted at every level; undefined members are left out as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

export function fnv32a(bytes: Uint8Array, hash = fnvOffset): number {
  let h = hash >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, fnvPrime) >>> 0;
  }
  return h;
}

/** controller.ComputeHash(template, collisionCount). */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount: number | undefined): string {
  let h = fnv32a(Buffer.from(canonicalJson(template ?? {}), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
