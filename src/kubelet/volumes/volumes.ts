/**
 * volumes — the pod directory on the host and the volumes in it.
 *
 * Owns: `<podsRoot>/<uid>/` with `volumes/<plugin>/<name>` directories, the
 * kubelet-managed /etc/hosts file, and termination-message files. Sets volumes
 * up before a container starts (idempotent) and removes everything when the
 * pod is gone.
 *
 * Supported today: emptyDir (disk), hostPath. Other volume sources fail the
 * mount with a clear message (event FailedMount), and the pod waits, as on a
 * node whose volume plugin is missing.
 */
import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod, Volume } from '../../api/api.ts';

export class VolumeError extends Error {
  readonly volume: string;
  constructor(volume: string, message: string) {
    super(message);
    this.name = 'VolumeError';
    this.volume = volume;
  }
}

export interface HostVolume {
  hostPath: string;
  readOnly: boolean;
}

function pluginDir(v: Volume): string | undefined {
  if (v.emptyDir) return 'kubernetes.io~empty-dir';
  return undefined;
}

export class VolumeManager {
  #root: string;

  constructor(podsRoot: string) {
    this.#root = podsRoot;
  }

  podDir(uid: string): string {
    return join(this.#root, uid);
  }

  /** Prepares every volume of the pod; returns host paths by volume name. */
  async setUp(pod: Pod): Promise<Map<string, HostVolume>> {
    const uid = pod.metadata!.uid!;
    const out = new Map<string, HostVolume>();
    for (const v of pod.spec!.volumes ?? []) {
      if (v.emptyDir) {
        if (v.emptyDir.medium === 'Memory') {
          throw new VolumeError(v.name, `emptyDir volume "${v.name}" with medium Memory is not supported by berth yet`);
        }
        const dir = join(this.podDir(uid), 'volumes', pluginDir(v)!, v.name);
        await mkdir(dir, { recursive: true });
        await chmod(dir, 0o777);
        out.set(v.name, { hostPath: dir, readOnly: false });
      } else if (v.hostPath) {
        out.set(v.name, { hostPath: await this.#hostPath(v), readOnly: false });
      } else {
        const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
        throw new VolumeError(v.name, `volume "${v.name}": the ${kind} volume type is not supported by berth yet`);
      }
    }
    return out;
  }

  async #hostPath(v: Volume): Promise<string> {
    const { path, type } = v.hostPath!;
    const st = await stat(path).catch(() => undefined);
    switch (type ?? '') {
      case '':
        return path;
      case 'DirectoryOrCreate':
        if (!st) await mkdir(path, { recursive: true, mode: 0o755 });
        else if (!st.isDirectory()) throw new VolumeError(v.name, `hostPath type check failed: ${path} is not a directory`);
        return path;
      case 'Directory':
        if (!st?.isDirectory()) throw new VolumeError(v.name, `hostPath type check failed: ${path} is not a directory`);
        return path;
      case 'FileOrCreate':
        if (!st) await writeFile(path, '', { mode: 0o644 });
        else if (!st.isFile()) throw new VolumeError(v.name, `hostPath type check failed: ${path} is not a file`);
        return path;
      case 'File':
        if (!st?.isFile()) throw new VolumeError(v.name, `hostPath type check failed: ${path} is not a file`);
        return path;
      case 'Socket':
        if (!st?.isSocket()) throw new VolumeError(v.name, `hostPath type check failed: ${path} is not a socket file`);
        return path;
      case 'CharDevice':
        if (!st?.isCharacterDevice()) throw new VolumeError(v.name, `hostPath type check failed: ${path} is not a character device`);
        return path;
      case 'BlockDevice':
        if (!st?.isBlockDevice()) throw new VolumeError(v.name, `hostPath type check failed: ${path} is not a block device`);
        return path;
      default:
        throw new VolumeError(v.name, `hostPath type ${type} is not supported`);
    }
  }

  /** Writes the kubelet-managed /etc/hosts for the pod and returns its path. */
  async writeHostsFile(pod: Pod, podIPs: string[]): Promise<string> {
    const uid = pod.metadata!.uid!;
    await mkdir(this.podDir(uid), { recursive: true });
    const path = join(this.podDir(uid), 'etc-hosts');
    const hostname = pod.spec!.hostname || pod.metadata!.name!;
    const lines = [
      '# Kubernetes-managed hosts file.',
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'fe00::0\tip6-mcastprefix',
      'fe00::1\tip6-allnodes',
      'fe00::2\tip6-allrouters',
    ];
    const sub = pod.spec!.subdomain;
    for (const ip of podIPs) {
      lines.push(sub ? `${ip}\t${hostname}.${sub}.${pod.metadata!.namespace}.svc.cluster.local\t${hostname}` : `${ip}\t${hostname}`);
    }
    const aliases = pod.spec!.hostAliases ?? [];
    if (aliases.length) {
      lines.push('', '# Entries added by HostAliases.');
      for (const a of aliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
    }
    await writeFile(path, lines.join('\n') + '\n', { mode: 0o644 });
    return path;
  }

  /** Creates the empty termination-message file for one container instance. */
  async terminationMessageFile(uid: string, container: string, instance: string): Promise<string> {
    const dir = join(this.podDir(uid), 'containers', container);
    await mkdir(dir, { recursive: true });
    const path = join(dir, instance);
    await writeFile(path, '', { mode: 0o666 });
    await chmod(path, 0o666);
    return path;
  }

  /** Removes the pod directory and everything in it. */
  async tearDown(uid: string): Promise<void> {
    await rm(this.podDir(uid), { recursive: true, force: true });
  }
}
