/**
 * volumes — the pod directory on the host and the volumes in it, as the
 * kubelet's volume manager and volume plugins lay them out.
 *
 * Owns: `<podsRoot>/<uid>/` — `volumes/<plugin>/<name>` per volume, the
 * `volume-subpaths/` bind mounts, the kubelet-managed `etc-hosts`, and
 * `containers/<name>/<instance>` termination-message files — and every mount
 * under it (tmpfs for memory emptyDirs, secret and projected volumes).
 *
 *   emptyDir            a directory (0777), or a tmpfs sized by
 *                       memory-size.ts when `medium: Memory`
 *   hostPath            type-checked (host-path.ts), mounted as is
 *   configMap, downwardAPI
 *                       a directory written by the atomic writer
 *   secret, projected   the same on a tmpfs, so secrets never touch disk
 *   persistentVolumeClaim, ephemeral
 *                       the bound PersistentVolume's hostPath or local
 *                       directory (persistent-claim.ts finds it), mounted as
 *                       is; fsGroup applies to local volumes, as upstream
 *
 * configMap, secret, downwardAPI and projected volumes are mounted read-only
 * and refreshed at every set-up: changed objects or pod labels reach running
 * containers through the atomic `..data` swap; a payload equal to the one
 * this berth last wrote is not written again (berth is the only writer). A volume that fails to set up
 * gets a `FailedMount` warning and is retried with the volume manager's
 * backoff (0.5 s doubling to 2 min 2 s); the pod waits meanwhile. A volume
 * that was set up before keeps its last content when a refresh fails.
 *
 * Does not own: what containers run, the sandbox, or deciding when a pod is
 * gone (the pod workers call `tearDown`). State: the pod directories on disk
 * and the host mount table are the truth (a restarted berth finds its
 * mounts again); in memory only the retry backoff, which hostPath and
 * emptyDir volumes and tmpfs mounts are known, when each pod was first seen,
 * the /etc/hosts text and each volume's payload last written, and which pod
 * directories exist. No loops or timers.
 */
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rfc3339Nano, type Container, type Pod, type Volume } from '../../api/api.ts';
import type { ConfigClient } from '../../client/client.ts';
import type { Mount } from '../../cri/types.ts';
import { Backoff } from '../container/backoff.ts';
import { systemClock, type Clock } from '../../clock/clock.ts';
import type { NodeAllocatable } from '../container/downward-api.ts';
import { expand } from '../container/expansion.ts';
import { ContainerConfigError } from '../container/start-failure.ts';
import { Reason } from '../events/events.ts';
import { hasVersion, writeAtomically, type Payload } from './atomic-writer.ts';
import { goPathError } from './go-path-error.ts';
import { checkHostPath } from './host-path.ts';
import { memoryBackedSize } from './memory-size.ts';
import { hostMounter, type Mounter } from './mount-table.ts';
import { setVolumeOwnership } from './ownership.ts';
import { configMapPayload, defaultFileMode, downwardApiPayload, PayloadError, projectedPayload, secretPayload } from './projections.ts';
import { ServiceAccountTokenManager } from './service-account-token.ts';
import type { ProjectedVolumeSource, ServiceAccountTokenProjection } from 'kubernetes-types/core/v1.js';
import { checkSubPath, prepareSubPath } from './subpath.ts';
import { ClaimProcessingError, resolveClaimVolume, type ClaimVolume } from './persistent-claim.ts';

export type { NodeAllocatable } from '../container/downward-api.ts';

/** A volume failed to set up; `message` is the kubelet's error text. */
export class VolumeError extends Error {
  readonly volume: string;
  constructor(volume: string, message: string) {
    super(message);
    this.name = 'VolumeError';
    this.volume = volume;
  }
}

/** Some volumes are not set up yet; retry after `retryAfterMs`. Events were emitted. */
export class VolumesNotReadyError extends Error {
  readonly volumes: string[];
  readonly retryAfterMs: number;
  constructor(volumes: string[], retryAfterMs: number) {
    super(`unmounted volumes=[${volumes.join(' ')}]`);
    this.name = 'VolumesNotReadyError';
    this.volumes = volumes;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface HostVolume {
  hostPath: string;
  readOnly: boolean;
}

/** Where volume events go: the pod, no container field path. */
export type VolumeEventSink = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

export interface VolumeManagerOptions {
  podsRoot: string;
  config: ConfigClient;
  nodeAllocatable: NodeAllocatable;
  clock?: Clock;
  mounter?: Mounter;
}

/** The kubelet's escaped plugin directory names (`kubernetes.io~configmap`). */
const pluginDirs = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

/** WaitForAttachAndMount's timeout (2 min 3 s) and how often a pod waiting for its claim looks again. */
const podAttachAndMountTimeoutMs = 123_000;
const claimPollMs = 1_000;

/** The operation executor's backoff for failed mounts. */
const mountRetryInitialMs = 500;
const mountRetryMaxMs = 122_000;

export class VolumeManager {
  #root: string;
  #config: ConfigClient;
  #allocatable: NodeAllocatable;
  #clock: Clock;
  #mounter: Mounter;
  #backoff: Backoff;
  /** Last failure time per `<uid>/<volume>`. */
  #lastFailure = new Map<string, number>();
  /** Since when each `<uid>/<volume>` has waited for its claim (or since its last FailedMount). */
  #claimWaitSince = new Map<string, number>();
  /** hostPath and emptyDir volumes set up since start: like the kubelet's, they are not set up again. */
  #ready = new Map<string, HostVolume>();
  /** Directories known to carry berth's tmpfs. */
  #tmpfs = new Set<string>();
  /** Pod-bound ServiceAccount tokens for projected volumes; unset when the client issues none. */
  #tokens: ServiceAccountTokenManager | undefined;
  /** When this kubelet first saw each pod (`kubernetes.io/config.seen`). */
  #seen = new Map<string, string>();
  /** The /etc/hosts text last written per pod UID. */
  #hostsWritten = new Map<string, string>();
  /**
   * Per `<uid>/<volume>`, the payload (and fsGroup) last projected into its
   * directory. berth is the only writer of volume directories, so an equal
   * payload on a later sync needs no file system work: every container start
   * sets the pod's volumes up again, and this keeps that off the path from
   * one init container's exit to the next one's start.
   */
  #projected = new Map<string, { payload: Payload; fsGroup: number | undefined }>();
  /** Pod directories known to exist. */
  #podDirs = new Set<string>();

  constructor(opts: VolumeManagerOptions) {
    this.#root = opts.podsRoot;
    this.#config = opts.config;
    this.#allocatable = opts.nodeAllocatable;
    this.#clock = opts.clock ?? systemClock;
    this.#mounter = opts.mounter ?? hostMounter;
    this.#backoff = new Backoff(mountRetryInitialMs, mountRetryMaxMs, this.#clock);
    const request = this.#config.createServiceAccountToken?.bind(this.#config);
    if (request) this.#tokens = new ServiceAccountTokenManager({ request, clock: this.#clock });
  }

  podDir(uid: string): string {
    return join(this.#root, uid);
  }

  volumeDir(uid: string, v: Volume): string | undefined {
    const plugin = (Object.keys(pluginDirs) as (keyof typeof pluginDirs)[]).find((k) => v[k]);
    return plugin ? join(this.podDir(uid), 'volumes', pluginDirs[plugin], v.name) : undefined;
  }

  /**
   * The pod as the kubelet's config sources hand it on: with the
   * `kubernetes.io/config.seen` and `kubernetes.io/config.source` annotations
   * the downward API shows.
   */
  asSeen(pod: Pod): Pod {
    const uid = pod.metadata!.uid!;
    let seen = this.#seen.get(uid);
    if (!seen) {
      seen = rfc3339Nano(this.#clock.now());
      this.#seen.set(uid, seen);
    }
    return {
      ...pod,
      metadata: {
        ...pod.metadata,
        annotations: { ...(pod.metadata?.annotations ?? {}), 'kubernetes.io/config.seen': seen, 'kubernetes.io/config.source': 'api' },
      },
    };
  }

  /**
   * Sets up (or refreshes) every volume of the pod and returns the host path
   * of each by name. Throws `VolumesNotReadyError` when one is not ready,
   * after emitting `FailedMount` for each new failure.
   */
  async setUp(pod: Pod, emit: VolumeEventSink): Promise<Map<string, HostVolume>> {
    const uid = pod.metadata!.uid!;
    const out = new Map<string, HostVolume>();
    const notReady: string[] = [];
    let retryAfterMs = Infinity;
    await this.#ensurePodDir(uid);
    for (const v of pod.spec?.volumes ?? []) {
      const key = `${uid}/${v.name}`;
      const ready = this.#ready.get(key);
      if (ready) {
        out.set(v.name, ready);
        continue;
      }
      const dir = this.volumeDir(uid, v);
      const wasSetUp = dir !== undefined && (this.#projected.has(key) || (await hasVersion(dir)));
      const last = this.#lastFailure.get(key);
      if (last !== undefined && this.#backoff.isInBackOffSince(key, last)) {
        retryAfterMs = Math.min(retryAfterMs, this.#backoff.remaining(key, last));
        if (wasSetUp) out.set(v.name, { hostPath: dir!, readOnly: true });
        else notReady.push(v.name);
        continue;
      }
      try {
        const hv = await this.#setUpOne(pod, v, dir);
        out.set(v.name, hv);
        if (v.hostPath || v.emptyDir || v.persistentVolumeClaim || v.ephemeral) this.#ready.set(key, hv);
        this.#backoff.reset(key);
        this.#lastFailure.delete(key);
        this.#claimWaitSince.delete(key);
      } catch (err) {
        if (err instanceof ClaimProcessingError) {
          // The populator's error: the kubelet polls for the claim and reports
          // only when a pod has waited out WaitForAttachAndMount's timeout.
          const now = this.#clock.now();
          const since = this.#claimWaitSince.get(key) ?? now;
          this.#claimWaitSince.set(key, since);
          if (now - since >= podAttachAndMountTimeoutMs) {
            emit('Warning', Reason.FailedMount, `Unable to attach or mount volumes: unmounted volumes=[${v.name}], unattached volumes=[${v.name}], failed to process volumes=[${v.name}]: ${err.message}`);
            this.#claimWaitSince.set(key, now);
          }
          retryAfterMs = Math.min(retryAfterMs, claimPollMs);
          notReady.push(v.name);
          continue;
        }
        const message = err instanceof VolumeError ? err.message : goPathError(err);
        emit('Warning', Reason.FailedMount, `MountVolume.SetUp failed for volume "${v.name}" : ${message}`);
        const now = this.#clock.now();
        this.#backoff.next(key, now);
        this.#lastFailure.set(key, now);
        retryAfterMs = Math.min(retryAfterMs, this.#backoff.remaining(key, now));
        if (wasSetUp) out.set(v.name, { hostPath: dir!, readOnly: true });
        else notReady.push(v.name);
      }
    }
    if (notReady.length) throw new VolumesNotReadyError(notReady, Number.isFinite(retryAfterMs) ? retryAfterMs : mountRetryInitialMs);
    return out;
  }

  async #setUpOne(pod: Pod, v: Volume, dir: string | undefined): Promise<HostVolume> {
    const ns = pod.metadata!.namespace!;
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    const fail = (message: string): never => {
      throw new VolumeError(v.name, message);
    };
    const claimed = resolveClaimVolume(pod, v, this.#config);
    if (claimed) return this.#setUpClaimVolume(claimed, fsGroup, fail);
    if (v.hostPath) {
      try {
        await checkHostPath(v.hostPath.path, v.hostPath.type);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
      }
      return { hostPath: v.hostPath.path, readOnly: false };
    }
    if (v.emptyDir && dir) {
      const memory = v.emptyDir.medium === 'Memory';
      if (v.emptyDir.medium && !memory) fail(`the ${v.emptyDir.medium} emptyDir medium is not supported by berth`);
      const fresh = !(await stat(dir).catch(() => undefined));
      const created = await mkdir(dir, { recursive: true, mode: 0o777 });
      if (memory) await this.#ensureTmpfs(dir, memoryBackedSize(pod, v.emptyDir.sizeLimit, this.#allocatable.memory), created !== undefined);
      if (fresh) {
        if (v.emptyDir.medium !== 'Memory') await chmod(dir, 0o777);
        if (fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup, false);
      }
      return { hostPath: dir, readOnly: false };
    }
    let payload: Payload;
    let onTmpfs = false;
    if (v.configMap && dir) {
      const s = v.configMap;
      const cm = this.#config.getConfigMap(ns, s.name ?? '');
      if (!cm && s.optional !== true) fail(`configmap "${s.name ?? ''}" not found`);
      payload = this.#payload(v, () => configMapPayload(cm, s.items, s.defaultMode ?? defaultFileMode, s.optional === true));
    } else if (v.secret && dir) {
      const s = v.secret;
      const secret = this.#config.getSecret(ns, s.secretName ?? '');
      if (!secret && s.optional !== true) fail(`secret "${s.secretName ?? ''}" not found`);
      payload = this.#payload(v, () => secretPayload(secret, s.items, s.defaultMode ?? defaultFileMode, s.optional === true));
      onTmpfs = true;
    } else if (v.downwardAPI && dir) {
      const s = v.downwardAPI;
      const seen = this.asSeen(pod);
      payload = this.#payload(v, () => downwardApiPayload(seen, s.items, s.defaultMode ?? defaultFileMode, this.#allocatable));
    } else if (v.projected && dir) {
      const tokens = await this.#projectedTokens(pod, v.projected);
      const objects = {
        configMap: (n: string) => this.#config.getConfigMap(ns, n),
        secret: (n: string) => this.#config.getSecret(ns, n),
        serviceAccountToken: this.#tokens ? (s: ServiceAccountTokenProjection) => tokenOf(tokens, s) : undefined,
      };
      const seen = this.asSeen(pod);
      payload = this.#payload(v, () => projectedPayload(seen, v.projected!, objects, this.#allocatable));
      onTmpfs = true;
    } else {
      const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      return fail(`the ${kind} volume type is not supported by berth`);
    }
    const key = `${pod.metadata!.uid!}/${v.name}`;
    const last = this.#projected.get(key);
    if (last && last.fsGroup === fsGroup && samePayload(last.payload, payload)) return { hostPath: dir, readOnly: true };
    this.#projected.delete(key);
    const created = await mkdir(dir, { recursive: true, mode: 0o750 });
    if (onTmpfs) await this.#ensureTmpfs(dir, memoryBackedSize(pod, undefined, this.#allocatable.memory), created !== undefined);
    await writeAtomically(dir, payload, {
      now: new Date(this.#clock.now()),
      setPerms: fsGroup === undefined ? undefined : (version) => setVolumeOwnership(version, fsGroup, true),
    });
    this.#projected.set(key, { payload, fsGroup });
    return { hostPath: dir, readOnly: true };
  }

  /** The PersistentVolume's own directory: hostPath (type-checked, no fsGroup) or local (must exist; fsGroup applied). */
  async #setUpClaimVolume(c: ClaimVolume, fsGroup: number | undefined, fail: (message: string) => never): Promise<HostVolume> {
    const spec = c.volume.spec ?? {};
    if (spec.hostPath) {
      try {
        await checkHostPath(spec.hostPath.path, spec.hostPath.type);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
      }
      return { hostPath: spec.hostPath.path, readOnly: c.readOnly };
    }
    if (spec.local) {
      const st = await stat(spec.local.path).catch(() => undefined);
      if (!st?.isDirectory()) fail(`path "${spec.local.path}" does not exist`);
      if (fsGroup !== undefined) await setVolumeOwnership(spec.local.path, fsGroup, c.readOnly);
      return { hostPath: spec.local.path, readOnly: c.readOnly };
    }
    const kind = Object.keys(spec).find((k) => !['accessModes', 'capacity', 'claimRef', 'persistentVolumeReclaimPolicy', 'storageClassName', 'mountOptions', 'volumeMode', 'nodeAffinity', 'volumeAttributesClassName'].includes(k)) ?? 'unknown';
    return fail(`the ${kind} persistent volume type is not supported by berth`);
  }

  /** The tokens of a projected volume's serviceAccountToken sources, or why each could not be had. */
  async #projectedTokens(pod: Pod, source: ProjectedVolumeSource): Promise<Map<ServiceAccountTokenProjection, string | Error>> {
    const out = new Map<ServiceAccountTokenProjection, string | Error>();
    if (!this.#tokens) return out;
    for (const s of source.sources ?? []) {
      if (!s.serviceAccountToken) continue;
      try {
        out.set(s.serviceAccountToken, await this.#tokens.token(pod, s.serviceAccountToken));
      } catch (err) {
        out.set(s.serviceAccountToken, err instanceof Error ? err : new Error(String(err)));
      }
    }
    return out;
  }

  #payload(v: Volume, build: () => Payload): Payload {
    try {
      return build();
    } catch (err) {
      throw new VolumeError(v.name, err instanceof Error ? err.message : String(err));
    }
  }

  /** `fresh`: the directory was created just now, so nothing can be mounted on it yet (no need to read the mount table). */
  async #ensureTmpfs(dir: string, size: bigint, fresh = false): Promise<void> {
    if (this.#tmpfs.has(dir)) return;
    if (fresh || !(await this.#mounter.mountPointsUnder(dir)).includes(dir)) await this.#mounter.mountTmpfs(dir, size);
    this.#tmpfs.add(dir);
  }

  /**
   * The runtime mounts for a container's volumeMounts (`makeMounts`):
   * subPath and subPathExpr (expanded with the container's environment)
   * prepared safely, read-only where the mount or the volume says so.
   * Errors are the kubelet's CreateContainerConfigError texts.
   */
  async containerMounts(
    pod: Pod,
    container: Container,
    volumes: ReadonlyMap<string, HostVolume>,
    envs: readonly { key: string; value: string }[],
  ): Promise<Mount[]> {
    const uid = pod.metadata!.uid!;
    const env = new Map(envs.map((e) => [e.key, e.value]));
    const out: Mount[] = [];
    for (const [index, vm] of (container.volumeMounts ?? []).entries()) {
      const vol = volumes.get(vm.name);
      if (!vol) throw new ContainerConfigError(`cannot find volume "${vm.name}" to mount into container "${container.name}"`);
      let subPath = vm.subPath ?? '';
      if (vm.subPathExpr) subPath = expand(vm.subPathExpr, (n) => env.get(n));
      let hostPath = vol.hostPath;
      if (subPath) {
        const bad = checkSubPath(subPath);
        if (bad) throw new ContainerConfigError(bad);
        try {
          hostPath = await prepareSubPath(
            { volumePath: vol.hostPath, subPath, podDir: this.podDir(uid), volumeName: vm.name, containerName: container.name, index },
            this.#mounter,
          );
        } catch {
          // Like the kubelet: no details about the host's file system.
          throw new ContainerConfigError(`failed to prepare subPath for volumeMount "${vm.name}" of container "${container.name}"`);
        }
      }
      out.push({
        containerPath: vm.mountPath,
        hostPath,
        readonly: vm.readOnly === true || vol.readOnly,
        propagation:
          vm.mountPropagation === 'Bidirectional'
            ? 'PROPAGATION_BIDIRECTIONAL'
            : vm.mountPropagation === 'HostToContainer'
              ? 'PROPAGATION_HOST_TO_CONTAINER'
              : 'PROPAGATION_PRIVATE',
      });
    }
    return out;
  }

  /**
   * Writes the kubelet-managed /etc/hosts for the pod and returns its path:
   * the pod's own entries, or for host-network pods the node's file.
   */
  async #ensurePodDir(uid: string): Promise<void> {
    if (this.#podDirs.has(uid)) return;
    mkdirSync(this.podDir(uid), { recursive: true, mode: 0o750 });
    this.#podDirs.add(uid);
  }

  async writeHostsFile(pod: Pod, podIPs: string[]): Promise<string> {
    const uid = pod.metadata!.uid!;
    await this.#ensurePodDir(uid);
    const path = join(this.podDir(uid), 'etc-hosts');
    const hostname = pod.spec!.hostname || pod.metadata!.name!.slice(0, 63).replace(/[-.]+$/, '');
    const aliases = pod.spec!.hostAliases ?? [];
    const aliasLines = aliases.length
      ? ['', '# Entries added by HostAliases.', ...aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}`)]
      : [];
    let text: string;
    if (pod.spec!.hostNetwork) {
      const node = await readFile('/etc/hosts', 'utf8').catch(() => '');
      text = '# Kubernetes-managed hosts file (host network).\n' + node + (aliasLines.length ? aliasLines.join('\n') + '\n' : '');
    } else {
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
      text = [...lines, ...aliasLines].join('\n') + '\n';
    }
    // Unchanged content is not rewritten: every container start asks for it.
    if (this.#hostsWritten.get(uid) === text) return path;
    // Synchronous, as the termination message file: one small file in berth's own directory, between sandbox and first container.
    writeFileSync(path, text, { mode: 0o644 });
    chmodSync(path, 0o644);
    this.#hostsWritten.set(uid, text);
    return path;
  }

  /** Creates the empty termination-message file for one container instance. */
  async terminationMessageFile(uid: string, container: string, instance: string): Promise<string> {
    // Synchronous: three metadata operations in berth's own directory, on
    // the path from one init container's exit to the next one's create,
    // cost less than their round trips through libuv's thread pool.
    const dir = join(this.podDir(uid), 'containers', container);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, instance);
    writeFileSync(path, '', { mode: 0o666 });
    chmodSync(path, 0o666);
    return path;
  }

  /** UIDs that have a pod directory (to find pods removed while berth was down). */
  async podUids(): Promise<string[]> {
    const entries = await readdir(this.#root, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  }

  /**
   * Unmounts and removes the pod's volumes (and subPath mounts) but keeps the
   * pod directory's other files (termination messages): what the kubelet
   * does before it lets a terminated pod's API object go. Nothing may run
   * in the pod any more.
   */
  async releaseVolumes(uid: string): Promise<void> {
    for (const sub of ['volume-subpaths', 'volumes']) await this.#unmountAndRemove(join(this.podDir(uid), sub));
    for (const k of this.#ready.keys()) if (k.startsWith(`${uid}/`)) this.#ready.delete(k);
    for (const k of this.#projected.keys()) if (k.startsWith(`${uid}/`)) this.#projected.delete(k);
  }

  async #unmountAndRemove(dir: string): Promise<void> {
    for (const mp of await this.#mounter.mountPointsUnder(dir)) await this.#mounter.unmount(mp);
    const left = await this.#mounter.mountPointsUnder(dir);
    if (left.length) throw new Error(`cannot remove ${dir}: still mounted: ${left.join(', ')}`);
    await rm(dir, { recursive: true, force: true });
    for (const d of this.#tmpfs) if (d.startsWith(`${dir}/`)) this.#tmpfs.delete(d);
  }

  /**
   * Unmounts everything under the pod directory (deepest first) and removes
   * it. Refuses to remove anything while a mount remains, so a bind-mounted
   * host path is never deleted through the pod directory.
   */
  async tearDown(uid: string): Promise<void> {
    this.#podDirs.delete(uid);
    for (const k of this.#projected.keys()) if (k.startsWith(`${uid}/`)) this.#projected.delete(k);
    await this.#unmountAndRemove(this.podDir(uid));
    for (const k of this.#lastFailure.keys()) if (k.startsWith(`${uid}/`)) this.#lastFailure.delete(k);
    for (const k of this.#claimWaitSince.keys()) if (k.startsWith(`${uid}/`)) this.#claimWaitSince.delete(k);
    for (const k of this.#ready.keys()) if (k.startsWith(`${uid}/`)) this.#ready.delete(k);
    this.#backoff.forget(`${uid}/`);
    this.#seen.delete(uid);
    this.#hostsWritten.delete(uid);
    this.#tokens?.forgetPod(uid);
  }
}

/** Whether two payloads project the same files with the same modes. */
function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [path, f] of a) {
    const g = b.get(path);
    if (!g || g.mode !== f.mode || !g.data.equals(f.data)) return false;
  }
  return true;
}

function tokenOf(tokens: ReadonlyMap<ServiceAccountTokenProjection, string | Error>, s: ServiceAccountTokenProjection): string {
  const t = tokens.get(s);
  if (t === undefined) throw new PayloadError('no token was requested for this source');
  if (t instanceof Error) throw new PayloadError(t.message);
  return t;
}
