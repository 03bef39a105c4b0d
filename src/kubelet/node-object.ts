/**
 * The Node object berth's kubelet registers for itself, with the labels,
 * addresses, capacity and node info `kubectl get nodes` and
 * `kubectl describe` show.
 */
import { cpus, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { rfc3339 } from '../api/api.ts';

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

export function allocatable(): { cpu: string; memory: string; 'ephemeral-storage': string; pods: string } {
  return {
    cpu: String(cpus().length),
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    'ephemeral-storage': '0',
    pods: String(maxPods),
  };
}

export function nodeObject(info: NodeInfo): any {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const capacity = allocatable();
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
      allocatable: capacity,
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
