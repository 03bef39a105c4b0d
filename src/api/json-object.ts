/**
 * Decoded JSON objects (Go maps and structs) and the keys users choose for
 * them. A key is data, never a JavaScript property name: `constructor`,
 * `toString` or `__proto__` is a label, a ConfigMap key or an unknown field
 * like any other. So every lookup by a key that came from a request (or from
 * a table indexed by such keys) goes through `own` or `Object.hasOwn`, never
 * `obj[key]` or `key in obj`, which answer with Object.prototype's members;
 * and every store goes through `setOwn`, because `obj['__proto__'] = v`
 * replaces the prototype instead of storing a key.
 *
 * JSON.parse, the YAML decoder, structuredClone, JSON.stringify and object
 * spread (`{ ...o }`) all keep an own `__proto__` key as data; Object.assign
 * does not (it assigns, and so changes the prototype): do not use it on
 * decoded objects.
 */

/** The one test api/ uses to tell a decoded JSON object (a Go map or struct) from null, an array or a scalar. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value of `o`'s own property `key`, or undefined: a missing key never answers with an inherited member. */
export function own<T>(o: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * Stores `value` under `key` as an own, enumerable, writable data property,
 * as JSON.parse would: for `__proto__` too (assignment would change the
 * prototype), and even where Object.prototype's member is frozen
 * (assignment would then throw).
 */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}
