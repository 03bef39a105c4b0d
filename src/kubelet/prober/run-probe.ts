/**
 * One probe attempt (`prober.runProbe`): dispatches on the handler — exec,
 * httpGet, tcpSocket or grpc — and returns the kubelet's result and output
 * text. `unknown` means the probe could not run at all (the kubelet retries
 * it and reports "probe errored"); `warning` counts as success but is
 * reported (an HTTP redirect to another host).
 */
import type { Container, Probe } from '../../api/api.ts';
import { execProbe, type ExecFn } from './exec-action.ts';
import { grpcProbe } from './grpc-health.ts';
import { doHttpGet, HttpGetError, httpGetRequest, resolveContainerPort } from './http-get.ts';
import { tcpProbe } from './tcp-socket.ts';

export type ProbeOutcome =
  | { result: 'success' | 'failure' | 'warning'; output: string }
  | { result: 'unknown'; error: string };

export interface ProbeTarget {
  containerId: string;
  container: Container;
  podIP: string;
}

export async function runProbe(probe: Probe, target: ProbeTarget, exec: ExecFn): Promise<ProbeOutcome> {
  const timeoutSeconds = probe.timeoutSeconds ?? 1;
  const timeoutMs = timeoutSeconds * 1000;
  if (probe.exec) return execProbe(exec, target.containerId, probe.exec.command ?? [], timeoutSeconds);
  if (probe.httpGet) {
    let req;
    try {
      req = httpGetRequest(probe.httpGet, target.container, target.podIP, 'probe');
    } catch (err) {
      return { result: 'unknown', error: (err as Error).message };
    }
    try {
      const res = await doHttpGet(req, timeoutMs);
      if (res.statusCode >= 200 && res.statusCode < 400) {
        if (res.statusCode >= 300) return { result: 'warning', output: `Probe terminated redirects, Response body: ${res.body}` };
        return { result: 'success', output: res.body };
      }
      return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.statusCode}` };
    } catch (err) {
      if (err instanceof HttpGetError) return { result: 'failure', output: err.message };
      throw err;
    }
  }
  if (probe.tcpSocket) {
    let port;
    try {
      port = resolveContainerPort(probe.tcpSocket.port, target.container);
    } catch (err) {
      return { result: 'unknown', error: (err as Error).message };
    }
    const r = await tcpProbe(probe.tcpSocket.host || target.podIP, port, timeoutMs);
    return { result: r.ok ? 'success' : 'failure', output: r.output };
  }
  if (probe.grpc) {
    const r = await grpcProbe(target.podIP, probe.grpc.port, probe.grpc.service ?? '', timeoutMs);
    return { result: r.ok ? 'success' : 'failure', output: r.output };
  }
  return { result: 'unknown', error: `missing probe handler for container "${target.container.name}"` };
}
