/**
 * The hashes controllers put in names and labels, as kube-controller-manager
 * computes them: FNV-1 and FNV-1a over 32 bits, printed in decimal and then
 * spelled with apimachinery's SafeEncodeString alphabet (no vowels, no
 * 0/1/3, so no words), e.g. `6b9f4f7d5`.
 *
 * `goJson` is what Go's encoding/json writes for a value decoded into
 * map[string]interface{}: keys sorted at every level, `<`, `>`, `&`, U+2028
 * and U+2029 escaped. ControllerRevision data is compared and hashed as
 * these bytes, as upstream compares and hashes `Data.Raw`.
 *
 * Upstream's ComputeHash (pod-template-hash, DaemonSet revision names)
 * hashes the Go struct as spew prints it; berth hashes `goJson` of the
 * template instead. The values differ from a cluster's, their form and
 * determinism do not.
 */

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

/** FNV-1, 32 bits (Go's fnv.New32). */
export function fnv32(...chunks: Uint8Array[]): number {
  let h = fnvOffset;
  for (const c of chunks) for (const b of c) h = Math.imul(h, fnvPrime) ^ b;
  return h >>> 0;
}

/** FNV-1a, 32 bits (Go's fnv.New32a). */
export function fnv32a(...chunks: Uint8Array[]): number {
  let h = fnvOffset;
  for (const c of chunks) for (const b of c) h = Math.imul(h ^ b, fnvPrime);
  return h >>> 0;
}

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** apimachinery rand.SafeEncodeString. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

const utf8 = new TextEncoder();

export function bytes(s: string): Uint8Array {
  return utf8.encode(s);
}

/** encoding/json's Marshal of a generic JSON value (see the file comment). */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}

/**
 * controller.ComputeHash: the hash of a pod template and, when set, the
 * collision count (its four little-endian bytes padded to eight).
 */
export function computeHash(template: unknown, collisionCount?: number | null): string {
  const chunks = [bytes(goJson(template ?? {}))];
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    chunks.push(b);
  }
  return safeEncodeString(String(fnv32a(...chunks)));
}
