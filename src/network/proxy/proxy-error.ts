/** Errors of the service proxy, with stable codes. Messages put the action first and values in quotes. */

export const ProxyErrorCode = {
  /** iptables, iptables-save or iptables-restore is not installed. */
  Missing: 'Missing',
  /** An iptables command failed; `stderr` says why. */
  IptablesFailed: 'IptablesFailed',
  /** Another live berth node on this machine holds the dataplane. */
  Held: 'Held',
} as const;
export type ProxyErrorCode = (typeof ProxyErrorCode)[keyof typeof ProxyErrorCode];

export class ProxyError extends Error {
  readonly code: ProxyErrorCode;
  constructor(code: ProxyErrorCode, message: string) {
    super(message);
    this.name = 'ProxyError';
    this.code = code;
  }
}
