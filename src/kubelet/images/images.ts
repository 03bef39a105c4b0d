/**
 * images — makes a container's image present according to its pull policy,
 * with the kubelet's events and errors (`EnsureImageExists`,
 * pkg/kubelet/images/image_manager.go):
 *
 *   unparsable name          → InspectFailed event, InvalidImageName
 *   Never + absent           → ErrImageNeverPull event and reason
 *   IfNotPresent + present   → Pulled "already present on machine"
 *   within the pull backoff  → BackOff "Back-off pulling image", reason
 *                              ImagePullBackOff, message with the last error
 *   otherwise (Always: no presence check at all)
 *                            → Pulling, then Pulled with timings and size,
 *                              or Failed "Failed to pull image" and
 *                              ErrImagePull; the backoff grows
 *
 * Pull backoff: 10 s doubling to 300 s per pod UID and image, as the
 * kubelet's `imageBackOff`. Credentials come from the pod's
 * imagePullSecrets (docker-keyring.ts), each matching one tried in turn.
 * Pulls are serialized node-wide (the kubelet's default serializeImagePulls).
 *
 * Does not own: images themselves (containerd's image store). State: the
 * backoff and the last pull error per key, and for 2 s each image CRI
 * reported present, in memory. No loops or timers.
 */
import type { Container, Pod, Secret } from '../../api/api.ts';
import type { ConfigClient } from '../../client/client.ts';
import { rpcErrorText } from '../../cri/errors.ts';
import type { AuthConfig, ImageService, PodSandboxConfig } from '../../cri/types.ts';
import { Backoff } from '../container/backoff.ts';
import { systemClock, type Clock } from '../../clock/clock.ts';
import { goDuration } from '../container/go-duration.ts';
import { Message, Reason } from '../events/events.ts';
import { keyringFromSecrets, lookup } from './docker-keyring.ts';
import { applyDefaultTag, repositoryOf } from './image-name.ts';
import { goAggregate } from '../../api/go-format.ts';

export type ImageErrorReason = 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName' | 'ImageInspectError';

export interface ImageUser {
  uid?: number;
  username?: string;
}

export type EnsureResult =
  | { ok: true; imageRef: string; user: ImageUser }
  | { ok: false; reason: ImageErrorReason; message: string; retryAfterMs?: number };

export type ImageEventSink = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

export const imagePullBackoffInitialMs = 10_000;
export const imagePullBackoffMaxMs = 300_000;

export interface ImageManagerOptions {
  images: ImageService;
  /** Reads imagePullSecrets. */
  config?: ConfigClient;
  clock?: Clock;
}

/** How long a "present" answer from CRI is reused (see `#present`). */
const presentForMs = 2000;

export class ImageManager {
  #images: ImageService;
  #config: ConfigClient | undefined;
  #clock: Clock;
  #backoff: Backoff;
  /** When the last pull of each key failed, and how (`<reason>: <message>`). */
  #lastFailure = new Map<string, { at: number; text: string }>();
  #queue: Promise<unknown> = Promise.resolve();
  /**
   * Images CRI reported present, for a moment: consecutive container starts
   * (init containers one after another) ask about the same image within
   * milliseconds, and the answer sits on the path from one exit to the next
   * start. Only presence is remembered, never absence.
   */
  #present = new Map<string, { status: NonNullable<Awaited<ReturnType<ImageService['imageStatus']>>>; until: number }>();

  constructor(opts: ImageManagerOptions) {
    this.#images = opts.images;
    this.#config = opts.config;
    this.#clock = opts.clock ?? systemClock;
    this.#backoff = new Backoff(imagePullBackoffInitialMs, imagePullBackoffMaxMs, this.#clock);
  }

  async ensureImage(
    pod: Pod,
    container: Container,
    emit: ImageEventSink,
    opts: { sandboxConfig?: PodSandboxConfig } = {},
  ): Promise<EnsureResult> {
    const requested = container.image ?? '';
    const tagged = applyDefaultTag(requested);
    if (!tagged.ok) {
      emit('Warning', Reason.InspectFailed, tagged.message);
      return { ok: false, reason: 'InvalidImageName', message: tagged.message };
    }
    const image = tagged.image;
    const policy = container.imagePullPolicy ?? 'IfNotPresent';

    let present: Awaited<ReturnType<ImageService['imageStatus']>> = null;
    if (policy !== 'Always') {
      try {
        const known = this.#present.get(image);
        if (known && known.until > this.#clock.now()) present = known.status;
        else {
          present = await this.#images.imageStatus(image);
          if (present) this.#present.set(image, { status: present, until: this.#clock.now() + presentForMs });
          else this.#present.delete(image);
        }
      } catch (err) {
        // The kubelet prints the (empty) image ref here, not the name.
        const message = `Failed to inspect image "": ${rpcErrorText(err)}`;
        emit('Warning', Reason.InspectFailed, message);
        return { ok: false, reason: 'ImageInspectError', message };
      }
      if (present) {
        emit('Normal', Reason.Pulled, Message.alreadyPresent(requested));
        return { ok: true, imageRef: present.id, user: userOf(present) };
      }
      if (policy === 'Never') {
        const message = Message.neverPull(requested);
        emit('Warning', Reason.ErrImageNeverPull, message);
        return { ok: false, reason: 'ErrImageNeverPull', message };
      }
    }

    const key = `${pod.metadata!.uid}_${requested}`;
    const last = this.#lastFailure.get(key);
    if (last && this.#backoff.isInBackOffSince(key, last.at)) {
      emit('Normal', Reason.BackOff, Message.backOffPull(requested));
      return {
        ok: false,
        reason: 'ImagePullBackOff',
        message: `${Message.backOffPull(requested)}: ${last.text}`,
        retryAfterMs: this.#backoff.remaining(key, last.at),
      };
    }

    emit('Normal', Reason.Pulling, Message.pulling(requested));
    const queuedAt = this.#clock.now();
    // The keyring is built as part of the pull, as the kubelet's PullImage
    // does: a secret it cannot parse fails this pull (ErrImagePull), not the sync.
    const pulled = this.#queue.then(() => this.#pull(image, this.#credentials(pod, image), opts.sandboxConfig));
    this.#queue = pulled.catch(() => undefined);
    try {
      const { ref, pullMs, size } = await pulled;
      const totalMs = this.#clock.now() - queuedAt;
      emit('Normal', Reason.Pulled, Message.pulled(requested, goDuration(pullMs), goDuration(totalMs), size));
      this.#lastFailure.delete(key);
      this.#backoff.gc();
      const status = await this.#images.imageStatus(image).catch(() => null);
      return { ok: true, imageRef: ref, user: status ? userOf(status) : {} };
    } catch (err) {
      const why = err instanceof PullError ? err.message : rpcErrorText(err);
      emit('Warning', Reason.Failed, Message.failedToPull(requested, why));
      const now = this.#clock.now();
      this.#backoff.next(key, now);
      this.#lastFailure.set(key, { at: now, text: `ErrImagePull: ${why}` });
      return { ok: false, reason: 'ErrImagePull', message: why, retryAfterMs: this.#backoff.remaining(key, now) };
    }
  }

  /** One pull, with each matching credential in turn (none when nothing matches). */
  async #pull(image: string, credentials: AuthConfig[], sandboxConfig: PodSandboxConfig | undefined) {
    const startedAt = this.#clock.now();
    const errors: string[] = [];
    for (const auth of credentials.length ? credentials : [undefined]) {
      try {
        const ref = await this.#images.pullImage(image, auth, sandboxConfig);
        const size = (await this.#images.imageStatus(image).catch(() => null))?.size ?? 0;
        return { ref, size, pullMs: this.#clock.now() - startedAt };
      } catch (err) {
        errors.push(rpcErrorText(err));
      }
    }
    throw new PullError(goAggregate(errors));
  }

  /** Credentials for `image` from the pod's imagePullSecrets; throws `KeyringError` for a secret it cannot parse. */
  #credentials(pod: Pod, image: string): AuthConfig[] {
    return lookup(keyringFromSecrets(this.#pullSecrets(pod)), repositoryOf(image));
  }

  /** The pod's imagePullSecrets that exist (missing ones are skipped, as the kubelet does). */
  #pullSecrets(pod: Pod): Secret[] {
    const out: Secret[] = [];
    for (const ref of pod.spec?.imagePullSecrets ?? []) {
      if (!ref.name) continue;
      const s = this.#config?.getSecret(pod.metadata!.namespace!, ref.name);
      if (s) out.push(s);
    }
    return out;
  }

  /** Drops pull backoff of a removed pod. */
  forgetPod(uid: string): void {
    this.#backoff.forget(`${uid}_`);
    for (const k of this.#lastFailure.keys()) if (k.startsWith(`${uid}_`)) this.#lastFailure.delete(k);
  }
}

class PullError extends Error {}

function userOf(image: { uid?: number; username?: string }): ImageUser {
  return { ...(image.uid !== undefined ? { uid: image.uid } : {}), ...(image.username ? { username: image.username } : {}) };
}
