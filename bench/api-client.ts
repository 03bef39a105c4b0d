/**
 * A minimal HTTPS client for berth's API, built from its kubeconfig: create,
 * list, delete and watch with the bearer token. Used by benchmarks to time
 * the API directly, without kubectl's own start-up cost.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createInterface } from 'node:readline';
import { parse as parseYaml } from 'yaml';

export interface WatchEvent {
  type: string;
  object: any;
}

export class ApiClient {
  #host: string;
  #port: number;
  #ca: Buffer;
  #token: string;
  #agent = new Agent({ keepAlive: true, maxSockets: 16 });

  constructor(kubeconfigPath: string) {
    const kc = parseYaml(readFileSync(kubeconfigPath, 'utf8'));
    const url = new URL(kc.clusters[0].cluster.server);
    this.#host = url.hostname;
    this.#port = Number(url.port);
    this.#ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64');
    this.#token = kc.users[0].user.token;
  }

  /** A JSON merge patch. */
  requestPatch(path: string, patch: unknown): Promise<{ status: number; body: any }> {
    return this.request('PATCH', path, patch, 'application/merge-patch+json');
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#host,
          port: this.#port,
          path,
          method,
          ca: this.#ca,
          agent: this.#agent,
          headers: { Authorization: `Bearer ${this.#token}`, 'Content-Type': contentType, Accept: 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** Streams watch events until the returned function is called. */
  watch(path: string, onEvent: (e: WatchEvent) => void): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: this.#host, port: this.#port, path, method: 'GET', ca: this.#ca, agent: false, headers: { Authorization: `Bearer ${this.#token}` } },
        (res) => {
          const lines = createInterface({ input: res });
          lines.on('line', (l) => {
            if (l.trim()) onEvent(JSON.parse(l));
          });
          // Ending the watch aborts the response; that is not an error here.
          lines.on('error', () => {});
          res.on('error', () => {});
          resolve(() => req.destroy());
        },
      );
      req.on('error', (e) => reject(e));
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
