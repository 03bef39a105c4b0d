/**
 * The Status a remotecommand session ends with, on the error channel (3).
 *
 * kube-apiserver (≥ 1.30) terminates kubectl's WebSocket and speaks SPDY v4
 * to the kubelet; it reads the kubelet's error stream like client-go does
 * (`errorDecoderV4`) and writes a fresh Status of its own (`json.Marshal` of
 * a metav1.Status: no kind/apiVersion, fields in Go struct order):
 *   - success → {"metadata":{},"status":"Success"}
 *   - exit code N → NonZeroExitCode with an ExitCode cause "N"
 *   - anything else → NewInternalError(err): "Internal error occurred: …"
 * These functions reproduce that translation byte for byte.
 */

export type ChannelStatus = Record<string, unknown>;

export function successStatus(): ChannelStatus {
  return { metadata: {}, status: 'Success' };
}

/** apierrors.NewInternalError(err) with err's text `message`. */
export function internalErrorStatus(message: string): ChannelStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

export function exitCodeStatus(code: number): ChannelStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** What client-go's SPDY dialer reports when the upgrade was refused with `body`. */
export function upgradeFailureMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { kind?: string; status?: string; message?: string };
    // A Status body becomes a StatusError whose text is its message.
    if (status && status.kind === 'Status' && typeof status.message === 'string') return status.message;
  } catch {
    // Not JSON: the body text is the message.
  }
  return `unable to upgrade connection: ${body.trim()}`;
}

/**
 * Decodes the upstream's v4 error stream as client-go's errorDecoderV4 does
 * and returns the Status kube-apiserver's translator sends for it.
 */
export function translateUpstreamStatus(raw: Buffer): ChannelStatus {
  const text = raw.toString('utf8');
  if (text.length === 0) return successStatus();
  let status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(text);
  } catch (err) {
    return internalErrorStatus(`error stream protocol error: ${err instanceof Error ? err.message : String(err)} in ${JSON.stringify(text)}`);
  }
  switch (status?.status) {
    case 'Success':
      return successStatus();
    case 'Failure': {
      if (status.reason !== 'NonZeroExitCode') return internalErrorStatus(status.message ?? '');
      if (!status.details) return internalErrorStatus('error stream protocol error: details must be set');
      const cause = (status.details.causes ?? []).find((c) => c.reason === 'ExitCode');
      if (!cause) return internalErrorStatus('error stream protocol error: no ExitCode cause given');
      const value = cause.message ?? '';
      // strconv.ParseUint(value, 10, 8): decimal digits, at most 255.
      if (!/^\d+$/.test(value) || Number(value) > 255) {
        return internalErrorStatus(`error stream protocol error: invalid exit code value ${JSON.stringify(value)}`);
      }
      return exitCodeStatus(Number(value));
    }
    default:
      return internalErrorStatus('error stream protocol error: unknown error');
  }
}
