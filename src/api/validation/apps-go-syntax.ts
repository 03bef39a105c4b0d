/**
 * How kube-apiserver prints the apps/v1 bad values Go renders with `%#v`
 * (field.Error falls back to `%#v` for structs and maps without a String
 * method): label selectors, template labels, IntOrStrings and update
 * strategies, as the internal (`apps.`) types print them.
 */
import { goQuote, goStringSlice } from '../go-format.ts';
import { isObj, list, str, type Obj } from './field-errors.ts';

/** `%#v` of a map[string]string: keys sorted, as fmt prints maps. */
export function goStringMap(m: unknown): string {
  if (!isObj(m)) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(str(m[k]))}`).join(', ')}}`;
}

function goStrings(v: unknown): string {
  return Array.isArray(v) ? goStringSlice(v.map(String)) : '[]string(nil)';
}

/** `%#v` of a metav1.LabelSelector (its String method has a pointer receiver, so `%#v` wins). */
export function goLabelSelector(sel: unknown): string {
  const s: Obj = isObj(sel) ? sel : {};
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${list(s.matchExpressions)
        .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(str(e.key))}, Operator:${goQuote(str(e.operator))}, Values:${goStrings(e.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** `%#v` of an intstr.IntOrString decoded from JSON (a number is Type 0, a string Type 1). */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

/** A non-nil pointer field prints as its address, which differs per request in Go. */
function goPointer(type: string, v: unknown): string {
  return v === undefined || v === null ? `(*${type})(nil)` : `(*${type})(0xc000000000)`;
}

/** `%#v` of an apps.DeploymentStrategy. */
export function goDeploymentStrategy(strategy: Obj): string {
  return `apps.DeploymentStrategy{Type:${goQuote(str(strategy.type))}, RollingUpdate:${goPointer('apps.RollingUpdateDeployment', strategy.rollingUpdate)}}`;
}

/** `%#v` of an apps.DaemonSetUpdateStrategy. */
export function goDaemonSetUpdateStrategy(strategy: Obj): string {
  return `apps.DaemonSetUpdateStrategy{Type:${goQuote(str(strategy.type))}, RollingUpdate:${goPointer('apps.RollingUpdateDaemonSet', strategy.rollingUpdate)}}`;
}
