/**
 * The one test api/ uses to tell a decoded JSON object (a Go map or struct)
 * from null, an array or a scalar.
 */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
