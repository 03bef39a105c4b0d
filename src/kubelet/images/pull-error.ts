/**
 * Several failed pull attempts (one per matching credential) as the kubelet
 * reports them together. Each attempt's text is `rpcErrorText` (cri/errors.ts).
 */

/** `utilerrors.NewAggregate(errs).Error()`. */
export function aggregateErrors(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}
