/**
 * The names of berth's service chains, and which chains are berth's proxy's.
 *
 * kube-proxy's names (pkg/proxy/iptables/proxier.go, v1.33) with BERTH- for
 * KUBE-: per-port chains are the prefix and the first 16 characters of the
 * base32 SHA-256 of the port's name and protocol (and endpoint), exactly
 * kube-proxy's hash, so `ns1/svc1:p80` over tcp is BERTH-SVC-XPGD46QRK7WJZT7O
 * here and KUBE-SVC-XPGD46QRK7WJZT7O there. Names stay within iptables' 28
 * characters.
 *
 * Ownership: the chains below and those with the per-port prefixes. Not
 * BERTH-FIREWALL, the localnet firewall (containerd/localnet-firewall.ts),
 * which has its own owner and its own lifetime.
 */
import { createHash } from 'node:crypto';

export const Chains = {
  services: 'BERTH-SERVICES',
  externalServices: 'BERTH-EXTERNAL-SERVICES',
  nodePorts: 'BERTH-NODEPORTS',
  postrouting: 'BERTH-POSTROUTING',
  markMasq: 'BERTH-MARK-MASQ',
  forward: 'BERTH-FORWARD',
} as const;

/** Top-level chains in each table, in kube-proxy's declaration order. */
export const FILTER_CHAINS = [Chains.services, Chains.externalServices, Chains.forward] as const;
export const NAT_CHAINS = [Chains.services, Chains.nodePorts, Chains.postrouting, Chains.markMasq] as const;

export const ChainPrefixes = {
  /** Cluster-policy endpoints of a port. */
  svc: 'BERTH-SVC-',
  /** Local-policy endpoints of a port. */
  svl: 'BERTH-SVL-',
  /** External destinations (NodePort, external IP, load balancer IP) of a port. */
  ext: 'BERTH-EXT-',
  /** One endpoint of a port. */
  sep: 'BERTH-SEP-',
} as const;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Go's base32.StdEncoding of `bytes`, first 16 characters (80 bits: no padding involved). */
function base32Prefix16(bytes: Uint8Array): string {
  let out = '';
  let value = 0;
  let bits = 0;
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
      if (out.length === 16) return out;
    }
  }
  return out;
}

function hash16(s: string): string {
  return base32Prefix16(createHash('sha256').update(s).digest());
}

/** `protocol` in lower case, as kube-proxy hashes it. */
export function servicePortChain(prefix: 'svc' | 'svl' | 'ext', portName: string, protocol: string): string {
  return ChainPrefixes[prefix] + hash16(portName + protocol.toLowerCase());
}

export function endpointChain(portName: string, protocol: string, address: string): string {
  return ChainPrefixes.sep + hash16(portName + protocol.toLowerCase() + address);
}

const OWNED: ReadonlySet<string> = new Set<string>([...FILTER_CHAINS, ...NAT_CHAINS]);

/** Whether `chain` is one berth's service proxy creates (in either table). */
export function isProxyChain(chain: string): boolean {
  return OWNED.has(chain) || Object.values(ChainPrefixes).some((p) => chain.startsWith(p));
}

/** Whether `chain` is a per-port chain (SVC, SVL, EXT, SEP), deleted when its port or endpoint goes. */
export function isServiceChain(chain: string): boolean {
  return Object.values(ChainPrefixes).some((p) => chain.startsWith(p));
}
