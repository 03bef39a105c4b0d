/**
 * Probes and lifecycle hooks: validation.go `validateProbe`,
 * `validateLivenessProbe`/`validateReadinessProbe`/`validateStartupProbe`,
 * `validateHandler`, `validateLifecycle`, `ValidatePortNumOrName`.
 */
import type { FieldError } from '../field-error.ts';
import { child, forbidden, invalid, notSupported, obj, required, str, type Obj } from './field-errors.ts';
import { isHTTPHeaderName, isValidPortName, isValidPortNum } from './string-formats.ts';

const supportedHTTPSchemes = ['HTTP', 'HTTPS'];

/** `ValidatePortNumOrName` for an IntOrString (absent means int 0). */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg));
  const n = typeof port === 'number' ? port : 0;
  return isValidPortNum(n).map((msg) => invalid(path, n, msg));
}

function validateHTTPGet(h: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(h.path)) errs.push(required(child(path, 'path')));
  errs.push(...validatePortNumOrName(h.port, child(path, 'port')));
  const scheme = str(h.scheme);
  if (!supportedHTTPSchemes.includes(scheme)) errs.push(notSupported(child(path, 'scheme'), scheme, supportedHTTPSchemes));
  for (const header of Array.isArray(h.httpHeaders) ? h.httpHeaders : []) {
    const name = str(header?.name);
    for (const msg of isHTTPHeaderName(name)) errs.push(invalid(child(path, 'httpHeaders'), name, msg));
  }
  return errs;
}

/** Handler fields in the order `validateHandler` checks them. */
const handlerKinds = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

function validateHandler(handler: Obj, allowed: readonly string[], gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of handlerKinds) {
    if (!allowed.includes(kind) || handler[kind] === undefined || handler[kind] === null) continue;
    const p = child(path, kind);
    if (count > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const h = obj(handler[kind]);
    switch (kind) {
      case 'exec':
        if (!Array.isArray(h.command) || h.command.length === 0) errs.push(required(child(p, 'command')));
        break;
      case 'httpGet':
        errs.push(...validateHTTPGet(h, p));
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(h.port, child(p, 'port')));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(typeof h.port === 'number' ? h.port : 0, child(p, 'port')));
        break;
      case 'sleep': {
        // PodLifecycleSleepActionAllowZero is on by default in v1.33.
        const seconds = typeof h.seconds === 'number' ? h.seconds : 0;
        if (gracePeriod !== undefined && (seconds < 0 || seconds > gracePeriod)) {
          errs.push(invalid(p, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
        }
        break;
      }
    }
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

const probeHandlerKinds = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const lifecycleHandlerKinds = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function nonNegative(value: unknown, path: string): FieldError[] {
  const n = typeof value === 'number' ? value : 0;
  return n < 0 ? [invalid(path, n, 'must be greater than or equal to 0')] : [];
}

function validateProbe(probe: Obj, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs = validateHandler(probe, probeHandlerKinds, gracePeriod, path);
  errs.push(...nonNegative(probe.initialDelaySeconds, child(path, 'initialDelaySeconds')));
  errs.push(...nonNegative(probe.timeoutSeconds, child(path, 'timeoutSeconds')));
  errs.push(...nonNegative(probe.periodSeconds, child(path, 'periodSeconds')));
  errs.push(...nonNegative(probe.successThreshold, child(path, 'successThreshold')));
  errs.push(...nonNegative(probe.failureThreshold, child(path, 'failureThreshold')));
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

function present(v: unknown): v is Obj {
  return v !== undefined && v !== null;
}

/** Liveness and startup probes must have successThreshold 1. */
export function validateLivenessProbe(probe: unknown, gracePeriod: number | undefined, path: string): FieldError[] {
  if (!present(probe)) return [];
  const errs = validateProbe(probe, gracePeriod, path);
  const st = typeof probe.successThreshold === 'number' ? probe.successThreshold : 0;
  if (st !== 1) errs.push(invalid(child(path, 'successThreshold'), st, 'must be 1'));
  return errs;
}

export const validateStartupProbe = validateLivenessProbe;

export function validateReadinessProbe(probe: unknown, gracePeriod: number | undefined, path: string): FieldError[] {
  if (!present(probe)) return [];
  const errs = validateProbe(probe, gracePeriod, path);
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

export function validateLifecycle(lifecycle: Obj, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (present(lifecycle.postStart)) errs.push(...validateHandler(lifecycle.postStart, lifecycleHandlerKinds, gracePeriod, child(path, 'postStart')));
  if (present(lifecycle.preStop)) errs.push(...validateHandler(lifecycle.preStop, lifecycleHandlerKinds, gracePeriod, child(path, 'preStop')));
  return errs;
}
