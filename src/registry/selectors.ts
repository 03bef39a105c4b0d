/**
 * Label and field selectors as the API server parses them
 * (apimachinery `labels.Parse` and `fields.ParseSelector`). Parse errors are
 * ApiError BadRequest with the real server's wording.
 */
import { errors } from '../api/api.ts';

type LabelRequirement =
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | '!'; key: string };

export interface LabelSelector {
  readonly empty: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
}

/**
 * Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`. `==` is the same as `=`;
 * `!=` matches objects without the key too, as in Kubernetes.
 */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  const reqs: LabelRequirement[] = [];
  const src = (text ?? '').trim();
  let i = 0;
  const fail = (why: string): never => {
    throw errors.badRequest(`unable to parse requirement: ${why}`);
  };
  const skipSpace = () => {
    while (i < src.length && src[i] === ' ') i++;
  };
  const readToken = (): string => {
    skipSpace();
    const start = i;
    while (i < src.length && !' ,()=!'.includes(src[i])) i++;
    return src.slice(start, i);
  };
  while (i < src.length) {
    skipSpace();
    if (src[i] === '!') {
      i++;
      const key = readToken();
      if (!key) fail('found \'\', expected: identifier');
      reqs.push({ op: '!', key });
    } else {
      const key = readToken();
      if (!key) fail(`found '${src[i] ?? ''}', expected: !, identifier, or 'end of string'`);
      skipSpace();
      if (src.startsWith('==', i) || src.startsWith('!=', i)) {
        const neg = src[i] === '!';
        i += 2;
        reqs.push({ op: neg ? 'notin' : 'in', key, values: [readToken()] });
      } else if (src[i] === '=') {
        i++;
        reqs.push({ op: 'in', key, values: [readToken()] });
      } else if (src.startsWith('in', i) || src.startsWith('notin', i)) {
        const op = src.startsWith('in', i) ? 'in' : 'notin';
        i += op.length;
        skipSpace();
        if (src[i] !== '(') fail(`found '${src[i] ?? ''}', expected: '('`);
        i++;
        const values: string[] = [];
        for (;;) {
          values.push(readToken());
          skipSpace();
          if (src[i] === ',') {
            i++;
            continue;
          }
          if (src[i] === ')') {
            i++;
            break;
          }
          fail(`found '${src[i] ?? ''}', expected: ',' or ')'`);
        }
        reqs.push({ op, key, values });
      } else {
        reqs.push({ op: 'exists', key });
      }
    }
    skipSpace();
    if (i < src.length) {
      if (src[i] !== ',') fail(`found '${src[i]}', expected: ',' or 'end of string'`);
      i++;
    }
  }
  return {
    empty: reqs.length === 0,
    matches(labels) {
      const l = labels ?? {};
      return reqs.every((r) => {
        const has = Object.prototype.hasOwnProperty.call(l, r.key);
        switch (r.op) {
          case 'exists':
            return has;
          case '!':
            return !has;
          case 'in':
            return has && r.values.includes(l[r.key]);
          case 'notin':
            return !has || !r.values.includes(l[r.key]);
        }
      });
    },
  };
}

interface FieldRequirement {
  field: string;
  value: string;
  negate: boolean;
}

export interface FieldSelector {
  readonly empty: boolean;
  readonly requirements: readonly FieldRequirement[];
  matches(fields: Record<string, string>): boolean;
}

/** Parses `a=b,c!=d` (`==` allowed), with `\` escapes as in `fields.ParseSelector`. */
export function parseFieldSelector(text: string | undefined): FieldSelector {
  const reqs: FieldRequirement[] = [];
  const src = text ?? '';
  if (src.trim() !== '') {
    for (const term of splitUnescaped(src, ',')) {
      const m = /^(.*?)(==|!=|=)(.*)$/s.exec(term);
      if (!m) throw errors.badRequest(`invalid selector: '${src}'; can't understand '${term}'`);
      reqs.push({ field: m[1].trim(), value: unescape(m[3]), negate: m[2] === '!=' });
    }
  }
  return {
    empty: reqs.length === 0,
    requirements: reqs,
    matches(fields) {
      return reqs.every((r) => (fields[r.field] === r.value) !== r.negate);
    },
  };
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === sep) {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  out.push(cur);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
