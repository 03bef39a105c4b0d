/**
 * A local image registry for end-to-end tests: Debian's `docker-registry`
 * (the CNCF distribution registry) on 127.0.0.1 and a free port, plain HTTP,
 * optionally behind htpasswd basic auth, storage in a temp directory. Images
 * are pushed with a small registry client of our own from the seed OCI
 * archives in images/ (blobs, then the manifest), so berth's containerd
 * holds no copy and a pod's pull really goes to the registry.
 *
 * Torn down by the test's `after` hook: the registry process (by pid) and
 * its directory.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readTar } from '../../src/containerd/tar.ts';
import { repoRoot } from './harness.ts';

interface TestContext {
  after(fn: () => Promise<void> | void): void;
}

export interface Credentials {
  username: string;
  password: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class Registry {
  readonly host: string;
  readonly auth: Credentials | undefined;
  #child: ChildProcess;
  #dir: string;
  #exited: Promise<void>;
  readonly output: string[] = [];

  private constructor(host: string, auth: Credentials | undefined, child: ChildProcess, dir: string) {
    this.host = host;
    this.auth = auth;
    this.#child = child;
    this.#dir = dir;
    this.#exited = new Promise((r) => child.once('close', () => r()));
    child.stdout?.on('data', (d) => this.output.push(String(d)));
    child.stderr?.on('data', (d) => this.output.push(String(d)));
  }

  /** Starts a registry; with `auth`, every request needs those basic credentials. */
  static async start(t: TestContext, opts: { auth?: Credentials } = {}): Promise<Registry> {
    const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
    const port = await freePort();
    let authConfig = '';
    if (opts.auth) {
      // distribution accepts only bcrypt entries.
      const line = execFileSync('htpasswd', ['-Bbn', opts.auth.username, opts.auth.password], { encoding: 'utf8' }).trim();
      writeFileSync(join(dir, 'htpasswd'), `${line}\n`);
      authConfig = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${join(dir, 'htpasswd')}\n`;
    }
    writeFileSync(
      join(dir, 'config.yml'),
      `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${authConfig}`,
    );
    const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reg = new Registry(`127.0.0.1:${port}`, opts.auth, child, dir);
    t.after(() => reg.stop());
    for (let i = 0; ; i++) {
      const r = await reg.#request('GET', '/v2/').catch(() => undefined);
      if (r && (r.status === 200 || r.status === 401)) break;
      if (i > 100 || child.exitCode !== null) throw new Error(`docker-registry did not start:\n${reg.output.join('')}`);
      await sleep(100);
    }
    return reg;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      await this.#exited;
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #request(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Reply> {
    const h: Record<string, string> = { ...headers };
    if (this.auth) h.Authorization = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
    if (body) h['Content-Length'] = String(body.length);
    const [hostname, port] = this.host.split(':');
    return new Promise((resolve, reject) => {
      const req = request({ hostname, port: Number(port), path, method, headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async #expect(method: string, path: string, status: number, body?: Buffer, headers?: Record<string, string>): Promise<Reply> {
    const r = await this.#request(method, path, body, headers);
    if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${r.body.toString()}`);
    return r;
  }

  /**
   * Pushes a seed image archive (an OCI layout tar in images/) as
   * `<host>/<repository>:<tag>`; returns the manifest digest.
   */
  async push(archive: string, repository: string, tag: string): Promise<string> {
    const files = new Map(readTar(readFileSync(join(repoRoot, 'images', archive))).map((e) => [e.path.replace(/^\.\//, ''), e.data]));
    const blob = (digest: string) => {
      const data = files.get(`blobs/${digest.replace(':', '/')}`);
      if (!data) throw new Error(`${archive} has no blob ${digest}`);
      return data;
    };
    const index = JSON.parse(files.get('index.json')!.toString());
    const desc = index.manifests[0];
    const manifest = blob(desc.digest);
    const parsed = JSON.parse(manifest.toString());
    for (const d of [parsed.config, ...parsed.layers]) {
      const start = await this.#expect('POST', `/v2/${repository}/blobs/uploads/`, 202);
      const location = new URL(String(start.headers.location), `http://${this.host}`);
      location.searchParams.set('digest', d.digest);
      await this.#expect('PUT', `${location.pathname}${location.search}`, 201, blob(d.digest), { 'Content-Type': 'application/octet-stream' });
    }
    await this.#expect('PUT', `/v2/${repository}/manifests/${tag}`, 201, manifest, { 'Content-Type': desc.mediaType });
    return desc.digest;
  }
}
