/**
 * images — makes a container's image present according to its pull policy,
 * with the kubelet's events and errors (kubelet-semantics.md §7):
 * `Pulled` "already present", `Pulling`/`Pulled` with timings and size,
 * `Failed` + `ErrImagePull`, `BackOff` + `ImagePullBackOff` (own backoff,
 * 10 s doubling to 300 s, keyed by pod UID and image), `ErrImageNeverPull`,
 * `InvalidImageName`.
 *
 * Pulls are serialized node-wide, like the kubelet's default
 * serializeImagePulls. State: the pull backoff, in memory.
 */
import type { AuthConfig, ImageService, PodSandboxConfig } from '../../cri/types.ts';
import type { Container, Pod } from '../../api/api.ts';
import { Backoff, type Clock, systemClock } from '../runtime/backoff.ts';
import { Message, Reason } from '../events/events.ts';
import { withDefaultTag } from '../../api/defaults/defaults.ts';

export type ImageErrorReason = 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName' | 'ImageInspectError';

export type EnsureResult = { ok: true; imageRef: string } | { ok: false; reason: ImageErrorReason; message: string };

export type ImageEventSink = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

/** Go's Duration.String() truncated to milliseconds, as the Pulled event prints it. */
function pullDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Number((s - m * 60).toFixed(3))}s`;
}

export class ImageManager {
  #images: ImageService;
  #backoff: Backoff;
  #clock: Clock;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(images: ImageService, clock: Clock = systemClock) {
    this.#images = images;
    this.#clock = clock;
    this.#backoff = new Backoff(10_000, 300_000, clock);
  }

  async ensureImage(
    pod: Pod,
    container: Container,
    emit: ImageEventSink,
    opts: { auth?: AuthConfig[]; sandboxConfig?: PodSandboxConfig } = {},
  ): Promise<EnsureResult> {
    const requested = container.image ?? '';
    const image = withDefaultTag(requested);
    if (!image) {
      const message = `Failed to apply default image tag "${requested}": couldn't parse image name "${requested}": invalid reference format`;
      emit('Warning', Reason.InspectFailed, message);
      return { ok: false, reason: 'InvalidImageName', message };
    }
    let present;
    try {
      present = await this.#images.imageStatus(image);
    } catch (err) {
      const message = `Failed to inspect image "${requested}": ${err instanceof Error ? err.message : String(err)}`;
      emit('Warning', Reason.InspectFailed, message);
      return { ok: false, reason: 'ImageInspectError', message };
    }
    const policy = container.imagePullPolicy ?? (image.endsWith(':latest') ? 'Always' : 'IfNotPresent');
    const shouldPull = policy === 'Always' || (policy === 'IfNotPresent' && !present);
    if (!shouldPull) {
      if (present) {
        emit('Normal', Reason.Pulled, Message.alreadyPresent(requested));
        return { ok: true, imageRef: present.id };
      }
      const message = Message.neverPull(requested);
      emit('Warning', Reason.ErrImageNeverPull, message);
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    const key = `${pod.metadata!.uid}_${requested}`;
    const now = this.#clock.now();
    if (this.#backoff.isInBackOffSince(key, this.#lastFailure.get(key) ?? now)) {
      const message = Message.backOffPull(requested);
      emit('Normal', Reason.BackOff, message);
      return { ok: false, reason: 'ImagePullBackOff', message };
    }
    emit('Normal', Reason.Pulling, Message.pulling(requested));
    const queuedAt = this.#clock.now();
    const pulled = this.#queue.then(async () => {
      const startedAt = this.#clock.now();
      let lastErr: unknown;
      for (const auth of opts.auth?.length ? opts.auth : [undefined]) {
        try {
          const ref = await this.#images.pullImage(image, auth, opts.sandboxConfig);
          return { ref, pullMs: this.#clock.now() - startedAt };
        } catch (err) {
          lastErr = err;
        }
      }
      throw lastErr;
    });
    this.#queue = pulled.catch(() => undefined);
    try {
      const { ref, pullMs } = await pulled;
      const totalMs = this.#clock.now() - queuedAt;
      const size = (await this.#images.imageStatus(image).catch(() => null))?.size ?? 0;
      emit('Normal', Reason.Pulled, Message.pulled(requested, pullDuration(pullMs), pullDuration(totalMs), size));
      this.#backoff.reset(key);
      this.#lastFailure.delete(key);
      return { ok: true, imageRef: ref };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      emit('Warning', Reason.Failed, Message.failedToPull(requested, why));
      this.#backoff.next(key, this.#clock.now());
      this.#lastFailure.set(key, this.#clock.now());
      return { ok: false, reason: 'ErrImagePull', message: why };
    }
  }

  #lastFailure = new Map<string, number>();

  /** Drops pull backoff of a removed pod. */
  forgetPod(uid: string): void {
    this.#backoff.forget(`${uid}_`);
    for (const k of this.#lastFailure.keys()) if (k.startsWith(`${uid}_`)) this.#lastFailure.delete(k);
  }
}
