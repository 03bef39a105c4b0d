/**
 * Kubernetes' `$(VAR)` expansion, shared by env values (runtime/env.ts) and
 * `subPathExpr` (volumes/): upstream third_party/forked/golang/expansion
 * `Expand`, used by `ExpandContainerCommandAndArgs` and `makeMounts`.
 */

/**
 * `expansion.Expand`: `$(NAME)` becomes the value when NAME is known and
 * stays as written otherwise; `$$` is an escaped `$`; an unclosed `$(` is
 * kept and scanning continues after it.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += '$' + rest[0];
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
