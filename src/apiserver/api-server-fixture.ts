/**
 * Test support: an ApiServer on 127.0.0.1 over the in-memory registry, with a
 * `call` that sends one authenticated request and returns the status, the
 * Warning headers and the JSON body.
 */
import type { TestContext } from 'node:test';
import { request } from 'node:https';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import type { Registry } from '../registry/registry.ts';
import { ApiServer, type ApiServerOptions } from './apiserver.ts';
import { createCa, issueServerCert } from '../pki/pki.ts';

export const fixtureToken = 'test-token';
const ca = createCa('test-ca', Date.now());
const serving = issueServerCert(ca, { commonName: 'test', now: Date.now() });

export interface Answer {
  status: number;
  warnings: string[];
  body: any;
}

export type Call = (method: string, path: string, body?: string, contentType?: string) => Promise<Answer>;

/** A raw answer: status, all headers and the body text, for negotiation tests. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as received (protobuf answers are not text). */
  bytes: Buffer;
}

export type RawCall = (method: string, path: string, headers?: Record<string, string>, body?: string | Buffer) => Promise<RawAnswer>;

/** `options` adds to the server's options (a token issuer, authenticators) over the fixture's registry. */
export async function startApiServer(
  t: TestContext,
  options: (registry: Registry) => Partial<ApiServerOptions> = () => ({}),
): Promise<{ registry: Registry; call: Call; raw: RawCall; port: number }> {
  const { registry } = memoryRegistry(t);
  const api = new ApiServer({ ...options(registry), registry, token: fixtureToken, tls: serving });
  const port = await api.start();
  t.after(() => api.stop());
  const call: Call = (method, path, body, contentType = 'application/json') =>
    new Promise<Answer>((resolve, reject) => {
      const headers = { Authorization: `Bearer ${fixtureToken}`, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body ?? '') };
      const req = request({ host: '127.0.0.1', port, path, method, ca: ca.certPem, agent: false, headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          const w = res.headers.warning;
          resolve({ status: res.statusCode ?? 0, warnings: w === undefined ? [] : Array.isArray(w) ? w : [w], body: JSON.parse(text) });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const raw: RawCall = (method, path, extra = {}, body) =>
    new Promise<RawAnswer>((resolve, reject) => {
      const headers = { Authorization: `Bearer ${fixtureToken}`, 'Content-Length': Buffer.byteLength(body ?? ''), ...extra };
      const req = request({ host: '127.0.0.1', port, path, method, ca: ca.certPem, agent: false, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: bytes.toString('utf8'), bytes });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return { registry, call, raw, port };
}
