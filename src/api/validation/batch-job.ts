/**
 * batch/v1 Job validation: kubernetes `pkg/apis/batch/validation`
 * validation.go (v1.33) `ValidateJob` and `ValidateJobUpdate` (the
 * strategy's ValidateUpdate: both), and `validateIndexesFormat` for
 * completedIndexes, failedIndexes and successPolicy indexes. The status
 * rules are in batch-job-status.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import { omitValue, type FieldError, fieldError, FieldErrorType } from '../field-error.ts';
import { goLabelSelector, goStringMap } from './apps-go-syntax.ts';
import { compileSelector, FieldImmutableErrorMsg, validateImmutableSelector, validateNonnegative, validatePodTemplateSpec } from './apps-template.ts';
import { child, duplicate, index, invalid, invalidGoSyntax, isObj, key, list, notSupported, obj, required, str, tooLong, type Obj } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validateLabelSelector } from './pod-spec.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain, regexError } from './string-formats.ts';

const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
const JobNameLabel = 'batch.kubernetes.io/job-name';
const LegacyControllerUidLabel = 'controller-uid';
const LegacyJobNameLabel = 'job-name';

const maxParallelismForIndexedJob = 100000;
const maxFailedIndexesForIndexedJob = 100000;
const completionsSoftLimit = 100000;
const parallelismLimitForHighCompletions = 10000;
const maxFailedIndexesLimitForHighCompletions = 10000;
const maxPodFailurePolicyRules = 20;
const maxPodFailurePolicyOnExitCodesValues = 255;
const maxPodFailurePolicyOnPodConditionsPatterns = 20;
const maxSuccessPolicyRule = 20;
const maxJobSuccessPolicySucceededIndexesLimit = 64 * 1024;

const podFailurePolicyActions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const exitCodesOperators = ['In', 'NotIn'];
const conditionStatuses = ['False', 'True', 'Unknown'];

function tooMany(path: string, actual: number, max: number): FieldError {
  return fieldError(FieldErrorType.TooMany, path, actual, `must have at most ${max} items`);
}

const maxManagedByLength = 63;
const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRe = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** apimachinery's `IsDomainPrefixedPath`: `<DNS subdomain>/<HTTP path>`. */
function validateDomainPrefixedPath(path: string, v: string): FieldError[] {
  if (v === '') return [required(path)];
  const slash = v.indexOf('/');
  const host = slash < 0 ? v : v.slice(0, slash);
  const rest = slash < 0 ? '' : v.slice(slash + 1);
  if (slash < 0 || host === '' || rest === '') return [invalid(path, v, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((m) => invalid(path, host, m));
  if (!httpPathRe.test(rest)) errs.push(invalid(path, rest, regexError('Invalid path', httpPathFmt)));
  return errs;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * `validateIndexesFormat`: the number of indexes in an interval list such as
 * `1,3-5`, or the parse error's text.
 */
export function parseIndexesFormat(s: string, completions: number): { total: number } | { error: string } {
  if (s === '') return { total: 0 };
  let last: number | undefined;
  let total = 0;
  const toInt = (p: string): number | undefined => (/^[+-]?\d+$/.test(p) && Math.abs(Number(p)) <= 2147483647 ? Number(p) : undefined);
  for (const interval of s.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) return { error: `too many parts separated by '-' in "${interval}"` };
    const x = toInt(limits[0]);
    if (x === undefined) return { error: `cannot convert string to integer for index: "${limits[0]}"` };
    if (x >= completions) return { error: `too large index: "${limits[0]}"` };
    if (last !== undefined && last >= x) return { error: `non-increasing order, previous: ${last}, current: ${x}` };
    total++;
    last = x;
    if (limits.length > 1) {
      const y = toInt(limits[1]);
      if (y === undefined) return { error: `cannot convert string to integer for index: "${limits[1]}"` };
      if (y >= completions) return { error: `too large index: "${limits[1]}"` };
      if (last >= y) return { error: `non-increasing order, previous: ${last}, current: ${y}` };
      total += y - x;
      last = y;
    }
  }
  return { total };
}

/** `ValidateHasLabel`. */
function validateHasLabel(meta: Obj, path: string, k: string, expected: string): FieldError[] {
  const labels = obj(meta.labels);
  const p = key(child(path, 'labels'), k);
  if (!Object.hasOwn(labels, k)) return [required(p, expected)];
  if (labels[k] !== expected) return [invalidGoSyntax(p, goStringMap(meta.labels), `must be '${expected}'`)];
  return [];
}

/** `validateGeneratedSelector` with RequirePrefixedLabels (on for a new Job). */
function validateGeneratedSelector(job: Obj, prefixed: boolean): FieldError[] {
  const spec = obj(job.spec);
  if (spec.manualSelector === true || spec.selector === undefined || spec.selector === null) return [];
  const meta = obj(job.metadata);
  const errs: FieldError[] = [];
  const uid = str(meta.uid);
  const name = str(meta.name);
  if (uid === '') errs.push(required('metadata.uid'));
  const tmeta = obj(obj(spec.template).metadata);
  errs.push(...validateHasLabel(tmeta, 'spec.template.metadata', LegacyControllerUidLabel, uid));
  errs.push(...validateHasLabel(tmeta, 'spec.template.metadata', LegacyJobNameLabel, name));
  const expected: Record<string, string> = {};
  if (prefixed) {
    errs.push(...validateHasLabel(tmeta, 'spec.template.metadata', ControllerUidLabel, uid));
    errs.push(...validateHasLabel(tmeta, 'spec.template.metadata', JobNameLabel, name));
    expected[ControllerUidLabel] = uid;
    expected[JobNameLabel] = name;
  }
  expected[LegacyControllerUidLabel] = uid;
  expected[LegacyJobNameLabel] = name;
  const sel = compileSelector(spec.selector);
  if (sel && !sel.matches(expected)) errs.push(invalidGoSyntax('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  return errs;
}

function validatePodFailurePolicyRule(spec: Obj, rule: Obj, path: string, containerNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const actionPath = child(path, 'action');
  const action = str(rule.action);
  if (action === '') errs.push(required(actionPath, `valid values: ["${podFailurePolicyActions.join('" "')}"]`));
  else if (action === 'FailIndex') {
    if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null) errs.push(invalid(actionPath, action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!podFailurePolicyActions.includes(action)) errs.push(notSupported(actionPath, action, podFailurePolicyActions));
  const hasExit = isObj(rule.onExitCodes);
  const conds = list(rule.onPodConditions);
  if (hasExit) {
    const ec = obj(rule.onExitCodes);
    const p = child(path, 'onExitCodes');
    const op = str(ec.operator);
    if (op === '') errs.push(required(child(p, 'operator'), `valid values: ["${exitCodesOperators.join('" "')}"]`));
    else if (!exitCodesOperators.includes(op)) errs.push(notSupported(child(p, 'operator'), op, exitCodesOperators));
    if (typeof ec.containerName === 'string' && !containerNames.has(ec.containerName)) {
      errs.push(invalid(child(p, 'containerName'), ec.containerName, 'must be one of the container or initContainer names in the pod template'));
    }
    const values: number[] = Array.isArray(ec.values) ? ec.values : [];
    const vp = child(p, 'values');
    if (values.length === 0) errs.push(invalidGoSyntax(vp, values.length === 0 && !Array.isArray(ec.values) ? '[]int32(nil)' : '[]int32{}', 'at least one value is required'));
    else if (values.length > maxPodFailurePolicyOnExitCodesValues) errs.push(tooMany(vp, values.length, maxPodFailurePolicyOnExitCodesValues));
    const seen = new Set<number>();
    let ordered = true;
    values.forEach((v, j) => {
      if (op === 'In' && v === 0) errs.push(invalid(index(vp, j), v, 'must not be 0 for the In operator'));
      if (seen.has(v)) errs.push(duplicate(index(vp, j), v));
      else seen.add(v);
      if (j > 0 && values[j - 1] > v) ordered = false;
    });
    if (!ordered) errs.push(invalidGoSyntax(vp, `[]int32{${values.join(', ')}}`, 'must be ordered'));
  }
  if (conds.length > 0) {
    const p = child(path, 'onPodConditions');
    if (conds.length > maxPodFailurePolicyOnPodConditionsPatterns) errs.push(tooMany(p, conds.length, maxPodFailurePolicyOnPodConditionsPatterns));
    conds.forEach((c, j) => {
      const pp = index(p, j);
      for (const m of isQualifiedName(str(c.type))) errs.push(invalid(child(pp, 'type'), str(c.type), m));
      const st = str(c.status);
      if (st === '') errs.push(required(child(pp, 'status'), `valid values: ["${conditionStatuses.join('" "')}"]`));
      else if (!conditionStatuses.includes(st)) errs.push(notSupported(child(pp, 'status'), st, conditionStatuses));
    });
  }
  if (hasExit && conds.length > 0) errs.push(invalid(path, omitValue, 'specifying both OnExitCodes and OnPodConditions is not supported'));
  if (!hasExit && conds.length === 0) errs.push(invalid(path, omitValue, 'specifying one of OnExitCodes and OnPodConditions is required'));
  return errs;
}

function validateSuccessPolicy(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules = list(obj(spec.successPolicy).rules);
  const rp = child(path, 'rules');
  if (rules.length === 0) errs.push(required(rp, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > maxSuccessPolicyRule) errs.push(tooMany(rp, rules.length, maxSuccessPolicyRule));
  const completions = num(spec.completions) ?? 0;
  rules.forEach((rule, i) => {
    const p = index(rp, i);
    const hasIdx = typeof rule.succeededIndexes === 'string';
    const count = num(rule.succeededCount);
    if (count === undefined && !hasIdx) errs.push(required(p, 'at least one of succeededCount or succeededIndexes must be specified'));
    let total = 0;
    if (hasIdx) {
      const ip = child(p, 'succeededIndexes');
      if (rule.succeededIndexes.length > maxJobSuccessPolicySucceededIndexesLimit) {
        errs.push(fieldError(FieldErrorType.TooLong, ip, rule.succeededIndexes, `may not be more than ${maxJobSuccessPolicySucceededIndexesLimit} bytes`));
      }
      const r = parseIndexesFormat(rule.succeededIndexes, completions);
      if ('error' in r) errs.push(invalid(ip, rule.succeededIndexes, `error parsing succeededIndexes: ${r.error}`));
      else total = r.total;
    }
    if (count !== undefined) {
      const cp = child(p, 'succeededCount');
      errs.push(...validateNonnegative(count, cp));
      if (count > completions) errs.push(invalid(cp, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      if (hasIdx && count > total) errs.push(invalid(cp, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
    }
  });
  return errs;
}

/** `validateJobSpec` (shared with CronJob job templates). */
export function validateJobSpecFields(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    if (typeof spec[f] === 'number') errs.push(...validateNonnegative(spec[f], child(path, f)));
  }
  const blpi = num(spec.backoffLimitPerIndex);
  const mfi = num(spec.maxFailedIndexes);
  const completions = num(spec.completions);
  const parallelism = num(spec.parallelism);
  if (mfi !== undefined) {
    errs.push(...validateNonnegative(mfi, child(path, 'maxFailedIndexes')));
    if (blpi === undefined) errs.push(required(child(path, 'backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (typeof spec.managedBy === 'string') {
    errs.push(...validateDomainPrefixedPath(child(path, 'managedBy'), spec.managedBy));
    if (spec.managedBy.length > maxManagedByLength) errs.push(tooLong(child(path, 'managedBy'), maxManagedByLength));
  }
  const mode = spec.completionMode;
  if (typeof mode === 'string') {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(child(path, 'completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (completions === undefined) errs.push(required(child(path, 'completions'), 'when completion mode is Indexed'));
      if (parallelism !== undefined && parallelism > maxParallelismForIndexedJob) {
        errs.push(invalid(child(path, 'parallelism'), parallelism, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`));
      }
      if (completions !== undefined && mfi !== undefined && mfi > completions) errs.push(invalid(child(path, 'maxFailedIndexes'), mfi, 'must be less than or equal to completions'));
      if (mfi !== undefined && mfi > maxFailedIndexesForIndexedJob) {
        errs.push(invalid(child(path, 'maxFailedIndexes'), mfi, `must be less than or equal to ${maxFailedIndexesForIndexedJob}`));
      }
      if (completions !== undefined && completions > completionsSoftLimit && blpi !== undefined) {
        const tail = `when completions are above ${completionsSoftLimit} and used with backoff limit per index`;
        if (mfi === undefined) errs.push(required(child(path, 'maxFailedIndexes'), `must be specified when completions is above ${completionsSoftLimit}`));
        if (parallelism !== undefined && parallelism > parallelismLimitForHighCompletions) {
          errs.push(invalid(child(path, 'parallelism'), parallelism, `must be less than or equal to ${parallelismLimitForHighCompletions} ${tail}`));
        }
        if (mfi !== undefined && mfi > maxFailedIndexesLimitForHighCompletions) {
          errs.push(invalid(child(path, 'maxFailedIndexes'), mfi, `must be less than or equal to ${maxFailedIndexesLimitForHighCompletions} ${tail}`));
        }
      }
    }
  }
  if (mode === undefined || mode === null || mode === 'NonIndexed') {
    if (blpi !== undefined) errs.push(invalid(child(path, 'backoffLimitPerIndex'), blpi, 'requires indexed completion mode'));
    if (mfi !== undefined) errs.push(invalid(child(path, 'maxFailedIndexes'), mfi, 'requires indexed completion mode'));
  }
  const template = obj(spec.template);
  const tspec = obj(template.spec);
  if (isObj(spec.podFailurePolicy)) {
    const p = child(path, 'podFailurePolicy');
    const rules = list(spec.podFailurePolicy.rules);
    if (rules.length > maxPodFailurePolicyRules) errs.push(tooMany(child(p, 'rules'), rules.length, maxPodFailurePolicyRules));
    const names = new Set([...list(tspec.containers), ...list(tspec.initContainers)].map((c) => str(c.name)));
    rules.forEach((r, i) => errs.push(...validatePodFailurePolicyRule(spec, r, index(child(p, 'rules'), i), names)));
  }
  if (isObj(spec.successPolicy)) {
    if (mode !== 'Indexed') errs.push(invalidGoSyntax(child(path, 'successPolicy'), goSuccessPolicy(spec.successPolicy), 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, child(path, 'successPolicy')));
  }
  if (typeof spec.podReplacementPolicy === 'string') {
    const p = child(path, 'podReplacementPolicy');
    if (isObj(spec.podFailurePolicy)) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(notSupported(p, spec.podReplacementPolicy, ['Failed']));
    } else if (!['Failed', 'TerminatingOrFailed'].includes(spec.podReplacementPolicy)) {
      errs.push(notSupported(p, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  errs.push(...validatePodTemplateSpec(template, child(path, 'template')));
  const rp = child(child(child(path, 'template'), 'spec'), 'restartPolicy');
  const restart = str(tspec.restartPolicy);
  if (restart === 'Always' || restart === '') errs.push(required(rp, 'valid values: "OnFailure", "Never"'));
  else if (restart !== 'OnFailure' && restart !== 'Never') errs.push(notSupported(rp, restart, ['OnFailure', 'Never']));
  else if (isObj(spec.podFailurePolicy) && restart !== 'Never') errs.push(invalid(rp, restart, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

function goSuccessPolicy(sp: Obj): string {
  const rules = list(sp.rules).map(
    (r) =>
      `batch.SuccessPolicyRule{SucceededIndexes:${typeof r.succeededIndexes === 'string' ? '(*string)(0xc000000000)' : '(*string)(nil)'}, SucceededCount:${typeof r.succeededCount === 'number' ? '(*int32)(0xc000000000)' : '(*int32)(nil)'}}`,
  );
  return `batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{${rules.join(', ')}}}`;
}

/** `ValidateJobSpec`: the fields, the selector, and the template's labels against it. */
function validateJobSpec(spec: Obj, path: string): FieldError[] {
  const errs = validateJobSpecFields(spec, path);
  const selPath = child(path, 'selector');
  if (spec.selector === undefined || spec.selector === null) errs.push(required(selPath));
  else errs.push(...validateLabelSelector(spec.selector, selPath));
  const sel = compileSelector(spec.selector);
  const tmeta = obj(obj(spec.template).metadata);
  if (sel && spec.selector != null && !sel.matches(obj(tmeta.labels))) {
    errs.push(invalidGoSyntax(child(child(child(path, 'template'), 'metadata'), 'labels'), goStringMap(tmeta.labels), '`selector` does not match template `labels`'));
  }
  return errs;
}

/** `ValidateJob`, after defaulting and selector generation. */
export function validateJob(jobIn: unknown, prefixedLabels = true): FieldError[] {
  const job = obj(jobIn);
  const meta = obj(job.metadata);
  const spec = obj(job.spec);
  const errs = validateObjectMeta(job.metadata, true, nameIsDNSSubdomain, 'metadata');
  errs.push(...validateGeneratedSelector(job, prefixedLabels));
  errs.push(...validateJobSpec(spec, 'spec'));
  const completions = num(spec.completions);
  if (spec.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    const host = `${str(meta.name)}-${completions - 1}`;
    if (isDNS1123Label(host).length > 0) errs.push(invalid('metadata.name', str(meta.name), `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

function immutable(path: string, a: unknown, b: unknown, value: unknown): FieldError[] {
  return isDeepStrictEqual(a ?? null, b ?? null) ? [] : [invalid(path, value, FieldImmutableErrorMsg)];
}

/**
 * The Job strategy's `ValidateUpdate`: `ValidateJob` then `ValidateJobUpdate`
 * (so a spec error is listed twice, as upstream's list is). Completions may
 * change for an Indexed Job together with parallelism (ElasticIndexedJob);
 * the template's scheduling directives may change while the Job is
 * suspended and has never started (AllowMutableSchedulingDirectives).
 */
export function validateJobUpdate(jobIn: unknown, oldIn: unknown): FieldError[] {
  const job = obj(jobIn);
  const old = obj(oldIn);
  const spec = obj(job.spec);
  const oldSpec = obj(old.spec);
  const oldLabels = obj(obj(obj(oldSpec.template).metadata).labels);
  // RequirePrefixedLabels only when the old Job had them (Jobs from before they existed stay valid).
  const prefixed = Object.hasOwn(oldLabels, ControllerUidLabel) || oldSpec.manualSelector === true;
  const errs = validateJob(job, prefixed);
  errs.push(...validateObjectMetaUpdate(job.metadata, old.metadata, 'metadata'));
  errs.push(...validateJobSpec(spec, 'spec'));
  if (spec.completionMode === 'Indexed') {
    if (!isDeepStrictEqual(spec.completions, oldSpec.completions) && typeof spec.completions === 'number' && spec.completions !== spec.parallelism) {
      errs.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else {
    errs.push(...immutable('spec.completions', spec.completions, oldSpec.completions, spec.completions ?? null));
  }
  errs.push(...validateImmutableSelector(spec.selector, oldSpec.selector, 'spec.selector'));
  let oldTemplate = obj(oldSpec.template);
  const template = obj(spec.template);
  const mutableScheduling = spec.suspend === true && oldSpec.suspend === true && obj(old.status).startTime === undefined;
  if (mutableScheduling) {
    const t = structuredClone(oldTemplate);
    t.spec = { ...obj(t.spec) };
    t.metadata = { ...obj(t.metadata) };
    const ts = obj(template.spec);
    const aff = ts.affinity;
    const oldAff = obj(t.spec).affinity;
    if (aff == null && oldAff != null) {
      const rest = { ...oldAff };
      delete rest.nodeAffinity;
      t.spec.affinity = Object.keys(rest).length ? rest : undefined;
    } else if (aff != null && oldAff == null) t.spec.affinity = { nodeAffinity: aff.nodeAffinity };
    else if (aff != null) t.spec.affinity = { ...oldAff, nodeAffinity: aff.nodeAffinity };
    for (const f of ['nodeSelector', 'tolerations', 'schedulingGates']) t.spec[f] = ts[f];
    t.metadata.annotations = obj(template.metadata).annotations;
    t.metadata.labels = obj(template.metadata).labels;
    oldTemplate = t;
  }
  if (!isDeepStrictEqual(stripUndefined(template), stripUndefined(oldTemplate))) {
    errs.push(invalidGoSyntax('spec.template', 'core.PodTemplateSpec{...}', FieldImmutableErrorMsg));
  }
  errs.push(...immutable('spec.completionMode', spec.completionMode, oldSpec.completionMode, spec.completionMode ?? null));
  errs.push(...immutable('spec.podFailurePolicy', spec.podFailurePolicy, oldSpec.podFailurePolicy, omitValue));
  errs.push(...immutable('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex, spec.backoffLimitPerIndex ?? null));
  errs.push(...immutable('spec.managedBy', spec.managedBy, oldSpec.managedBy, spec.managedBy ?? null));
  errs.push(...immutable('spec.successPolicy', spec.successPolicy, oldSpec.successPolicy, omitValue));
  return errs;
}

function stripUndefined(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v ?? null));
}
