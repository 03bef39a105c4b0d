/**
 * The Node object berth's kubelet registers for itself, with the labels,
 * addresses, capacity and node info `kubectl get nodes` and
 * `kubectl describe` show.
 */
import { cpus, release, totalmem } from 'node:os';
import { readdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { rfc3339 } from '../api/api.ts';
import { Quantity, QuantityFormat } from '../api/validation/quantity.ts';

export interface NodeInfo {
  name: string;
  hostIP: string;
  podCIDR: string;
  runtimeVersion: string;
  kubeletVersion: string;
  /** This heartbeat's time. */
  now: number;
  /** Whether the container runtime answers (the Ready condition). */
  ready: boolean;
  /** When Ready last changed: the condition's lastTransitionTime, which heartbeats leave alone. */
  readySince: number;
  /** The kubelet's root: its filesystem is the node's ephemeral-storage. Default `/`. */
  dataDir?: string;
  /** The machine, when not read from this one (tests). */
  machine?: MachineResources;
}

function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return m?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

export const maxPods = 110;

/** What cadvisor reads of the machine, and the kubelet turns into node capacity. */
export interface MachineResources {
  /** Online CPUs. */
  cores: number;
  /** /proc/meminfo MemTotal, in bytes. */
  memoryBytes: bigint;
  /** Size of the filesystem holding the kubelet's root (berth's data dir), in bytes. */
  fsCapacityBytes: bigint;
  /** Each supported huge page size and the pages reserved of it. */
  hugepages: { sizeBytes: bigint; pages: bigint }[];
}

type ResourceList = Record<string, string>;

/** The kubelet's default hard eviction thresholds: memory.available<100Mi, nodefs.available<10%. */
const evictionMemoryBytes = 100n * 1024n * 1024n;
/** `10%` as the kubelet parses it: a float32, widened to float64 when multiplied. */
const evictionNodefsFraction = Math.fround(10 / 100);

const binary = (bytes: bigint) => new Quantity(bytes < 0n ? 0n : bytes, 0, QuantityFormat.BinarySI).toString();

/**
 * Capacity and allocatable as the kubelet publishes them with no
 * system/kube reserved: allocatable = capacity minus the hard eviction
 * thresholds, and memory minus the huge pages reserved.
 */
export function nodeResources(m: MachineResources): { capacity: ResourceList; allocatable: ResourceList } {
  const capacity: ResourceList = {
    cpu: new Quantity(BigInt(m.cores) * 1000n, -3, QuantityFormat.DecimalSI).toString(),
    'ephemeral-storage': binary(m.fsCapacityBytes),
  };
  let hugepageBytes = 0n;
  for (const h of m.hugepages) {
    capacity[`hugepages-${binary(h.sizeBytes)}`] = binary(h.sizeBytes * h.pages);
    hugepageBytes += h.sizeBytes * h.pages;
  }
  capacity.memory = binary(m.memoryBytes);
  capacity.pods = String(maxPods);
  const nodefsReserved = BigInt(Math.trunc(Number(m.fsCapacityBytes) * evictionNodefsFraction));
  const allocatable: ResourceList = { ...capacity };
  allocatable['ephemeral-storage'] = binary(m.fsCapacityBytes - nodefsReserved);
  allocatable.memory = binary(m.memoryBytes - evictionMemoryBytes - hugepageBytes);
  return { capacity: sorted(capacity), allocatable: sorted(allocatable) };
}

const sorted = (list: ResourceList): ResourceList => Object.fromEntries(Object.entries(list).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** This machine, read as cadvisor does; `dataDir` is the kubelet's root. */
export function machineResources(dataDir: string): MachineResources {
  const memKb = readOr(() => /^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1], undefined);
  const fs = readOr(() => statfsSync(dataDir, { bigint: true }), undefined);
  const hugeRoot = '/sys/kernel/mm/hugepages';
  const hugepages = readOr(() => readdirSync(hugeRoot), [] as string[]).flatMap((d) => {
    const kb = /^hugepages-(\d+)kB$/.exec(d)?.[1];
    if (!kb) return [];
    const pages = readOr(() => BigInt(readFileSync(join(hugeRoot, d, 'nr_hugepages'), 'utf8').trim()), 0n);
    return [{ sizeBytes: BigInt(kb) * 1024n, pages }];
  });
  return {
    cores: cpus().length,
    memoryBytes: memKb !== undefined ? BigInt(memKb) * 1024n : BigInt(totalmem()),
    fsCapacityBytes: fs ? fs.blocks * fs.bsize : 0n,
    hugepages,
  };
}

/** The node's allocatable cpu, memory and ephemeral-storage: what downward API limits default to. */
export function allocatable(dataDir = '/'): { cpu: string; memory: string; 'ephemeral-storage': string; pods: string } {
  const a = nodeResources(machineResources(dataDir)).allocatable;
  return { cpu: a.cpu, memory: a.memory, 'ephemeral-storage': a['ephemeral-storage'], pods: a.pods };
}

export function nodeObject(info: NodeInfo): any {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const { capacity, allocatable } = nodeResources(info.machine ?? machineResources(info.dataDir ?? '/'));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: info.name,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': info.name,
        'kubernetes.io/os': 'linux',
      },
    },
    spec: { podCIDR: info.podCIDR, podCIDRs: [info.podCIDR] },
    status: {
      capacity,
      allocatable,
      conditions: [
        {
          type: 'Ready',
          // The kubelet's texts for a runtime that answers and one that does not.
          ...(info.ready
            ? { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
            : { status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' }),
          lastHeartbeatTime: rfc3339(info.now),
          lastTransitionTime: rfc3339(info.readySince),
        },
      ],
      addresses: [
        { type: 'InternalIP', address: info.hostIP },
        { type: 'Hostname', address: info.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        architecture: arch,
        bootID: '',
        containerRuntimeVersion: info.runtimeVersion,
        kernelVersion: release(),
        kubeProxyVersion: '',
        kubeletVersion: info.kubeletVersion,
        machineID: '',
        operatingSystem: 'linux',
        osImage: osImage(),
        systemUUID: '',
      },
    },
  };
}
