/**
 * `ImageService` over gRPC. ImageStatus answers null for an absent image (CRI
 * returns an empty response rather than NOT_FOUND).
 */
import type { Client, ServiceDefinition } from '@grpc/grpc-js';
import type { AuthConfig, Image, ImageService, PodSandboxConfig } from './types.ts';
import type { CriTimeouts } from './runtime-service.ts';
import { serviceCall, type ServiceCall } from './unary-call.ts';
import { imageFromWire, podSandboxConfigToWire } from './wire-mapping.ts';

export class GrpcImageService implements ImageService {
  #t: CriTimeouts;
  #call: ServiceCall;

  constructor(client: Client, def: ServiceDefinition, timeouts: CriTimeouts) {
    this.#t = timeouts;
    this.#call = serviceCall(client, def, timeouts.defaultMs);
  }

  async listImages(): Promise<Image[]> {
    const r = await this.#call('ListImages', {});
    return (r.images as unknown[]).map(imageFromWire);
  }

  async imageStatus(image: string): Promise<Image | null> {
    const r = await this.#call('ImageStatus', { image: { image }, verbose: false });
    return r.image ? imageFromWire(r.image) : null;
  }

  async pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const r = await this.#call(
      'PullImage',
      {
        image: { image },
        auth: auth ? { ...auth } : undefined,
        sandboxConfig: sandboxConfig ? podSandboxConfigToWire(sandboxConfig) : undefined,
      },
      this.#t.pullMs,
    );
    return r.imageRef;
  }

  async removeImage(image: string): Promise<void> {
    await this.#call('RemoveImage', { image: { image } });
  }
}
