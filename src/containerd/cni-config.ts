/**
 * The CNI network every berth pod joins: a Linux bridge with host-local IPAM,
 * plus portmap for hostPort when iptables exists. Rendering is pure;
 * `detectIptables` is the only probe.
 *
 * IPAM state lives in /run/berth/ipam, shared by every berth instance on the
 * machine: several berth nodes on the same bridge never hand out the same IP,
 * and /run is cleared at reboot together with the network namespaces that held
 * the addresses.
 */
import { findExecutable } from './find-executable.ts';

export const CNI_NETWORK_NAME = 'berth';
export const CNI_CONFLIST_FILE = '10-berth.conflist';
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
export const DEFAULT_BRIDGE = 'berth0';
export const IPAM_DATA_DIR = '/run/berth/ipam';

export interface CniConfigOptions {
  podCidr?: string;
  bridgeName?: string;
  /** Include the portmap plugin (hostPort). Needs iptables. */
  portmap: boolean;
  ipamDataDir?: string;
}

/** The first host address of an IPv4 CIDR: the bridge's address and the pods' gateway. */
export function gatewayOf(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`render CNI config: pod CIDR "${cidr}" is not an IPv4 CIDR`);
  const bits = Number(m[5]);
  if (bits > 30) throw new Error(`render CNI config: pod CIDR "${cidr}" is too small`);
  const ip = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const gw = ((ip & mask) + 1) >>> 0;
  return [gw >>> 24, (gw >>> 16) & 255, (gw >>> 8) & 255, gw & 255].join('.');
}

export function renderCniConfig(o: CniConfigOptions): string {
  const subnet = o.podCidr ?? DEFAULT_POD_CIDR;
  const plugins: object[] = [
    {
      type: 'bridge',
      bridge: o.bridgeName ?? DEFAULT_BRIDGE,
      isGateway: true,
      ipMasq: false,
      hairpinMode: true,
      ipam: {
        type: 'host-local',
        dataDir: o.ipamDataDir ?? IPAM_DATA_DIR,
        ranges: [[{ subnet, gateway: gatewayOf(subnet) }]],
        routes: [{ dst: '0.0.0.0/0' }],
      },
    },
  ];
  if (o.portmap) plugins.push({ type: 'portmap', capabilities: { portMappings: true } });
  return `${JSON.stringify({ cniVersion: '1.0.0', name: CNI_NETWORK_NAME, plugins }, null, 2)}\n`;
}

/** Whether the portmap plugin can work: it shells out to iptables. */
export function detectIptables(path = process.env.PATH ?? ''): boolean {
  return findExecutable('iptables', `${path}:/usr/sbin:/sbin`) !== undefined;
}
