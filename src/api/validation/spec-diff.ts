/**
 * The diff that follows "pod updates may not change fields other than ...".
 * kube-apiserver appends `cmp.Diff(oldSpec, newSpec)` of its internal Go
 * types. go-cmp's output is deliberately unstable (it randomly swaps spaces
 * for non-breaking spaces between runs), so no client can depend on it byte
 * for byte; berth prints the same shape: `core.PodSpec{`, unchanged runs
 * elided as `... // N identical fields`, changed fields as `-`/`+` lines with
 * Go field names and Go-syntax values.
 */
import { isJsonObject, own } from '../json-object.ts';

const acronyms: Record<string, string> = {
  uid: 'UID',
  ip: 'IP',
  ips: 'IPs',
  id: 'ID',
  url: 'URL',
  uri: 'URI',
  http: 'HTTP',
  tcp: 'TCP',
  grpc: 'GRPC',
  dns: 'DNS',
  tty: 'TTY',
  fs: 'FS',
  pid: 'PID',
  ipc: 'IPC',
  api: 'API',
  se: 'SE',
};

/** `imagePullPolicy` → `ImagePullPolicy`, `hostIP` → `HostIP`, `httpGet` → `HTTPGet`. */
export function goFieldName(jsonName: string): string {
  return jsonName
    .split(/(?=[A-Z])/)
    .map((w) => own(acronyms, w.toLowerCase()) ?? w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Go-syntax literal as go-cmp prints nested values (`{Name: "x", Image: "y"}`). */
export function goLiteral(v: unknown): string {
  if (v === undefined || v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `{${v.map(goLiteral).join(', ')}}`;
  if (isJsonObject(v)) {
    return `{${Object.entries(v)
      .filter(([, x]) => x !== undefined && x !== null)
      .map(([k, x]) => `${goFieldName(k)}: ${goLiteral(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

export type Equal = (a: unknown, b: unknown) => boolean;

function elide(lines: string[], depth: number, count: number, noun: string): void {
  if (count === 0) return;
  lines.push(`  ${'\t'.repeat(depth)}... // ${count} identical ${noun}${count === 1 ? '' : 's'}`);
}

function diffValue(lines: string[], depth: number, label: string, a: unknown, b: unknown, equal: Equal): void {
  const ind = '\t'.repeat(depth);
  if (isJsonObject(a) && isJsonObject(b)) {
    lines.push(`  ${ind}${label}{`);
    diffFields(lines, depth + 1, a, b, equal);
    lines.push(`  ${ind}}${depth > 0 ? ',' : ''}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    lines.push(`  ${ind}${label}{`);
    let same = 0;
    for (let i = 0; i < a.length; i++) {
      if (equal(a[i], b[i])) {
        same++;
        continue;
      }
      elide(lines, depth + 1, same, 'element');
      same = 0;
      diffValue(lines, depth + 1, '', a[i], b[i], equal);
    }
    elide(lines, depth + 1, same, 'element');
    lines.push(`  ${ind}},`);
    return;
  }
  lines.push(`- ${ind}${label}${goLiteral(a)},`);
  lines.push(`+ ${ind}${label}${goLiteral(b)},`);
}

function diffFields(lines: string[], depth: number, a: Record<string, unknown>, b: Record<string, unknown>, equal: Equal): void {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  let same = 0;
  for (const k of keys) {
    const x = own(a, k);
    const y = own(b, k);
    if (equal(x, y)) {
      same++;
      continue;
    }
    elide(lines, depth, same, 'field');
    same = 0;
    diffValue(lines, depth, `${goFieldName(k)}: `, x, y, equal);
  }
  elide(lines, depth, same, 'field');
}

/** go-cmp-style report of `old` → `new` for a struct named `typeName` (e.g. `core.PodSpec`). */
export function goCmpDiff(typeName: string, oldV: Record<string, unknown>, newV: Record<string, unknown>, equal: Equal): string {
  const lines: string[] = [`  ${typeName}{`];
  diffFields(lines, 1, oldV, newV, equal);
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}
