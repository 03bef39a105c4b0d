/**
 * Registry credentials from a pod's imagePullSecrets, as the kubelet's
 * `MakeDockerKeyring` + `BasicDockerKeyring.Lookup` find them:
 *
 * - `kubernetes.io/dockerconfigjson` secrets (`.dockerconfigjson`, entries
 *   under `auths`) and `kubernetes.io/dockercfg` secrets (`.dockercfg`, the
 *   entries themselves); an entry's `auth` (base64 `user:password`) wins over
 *   its username and password.
 * - Keys are registry locations (`registry:5000`, `https://host/v1/`,
 *   `*.example.com/team`), normalized to host[/path]; a key matches an image
 *   when the port is equal, each host label matches as a glob and the key's
 *   path is a prefix of the image's. More specific keys are tried first;
 *   Docker Hub images fall back to `index.docker.io` credentials.
 */
import type { Secret } from '../../api/api.ts';
import type { AuthConfig } from '../../cri/types.ts';

interface Entry {
  key: string;
  auth: AuthConfig;
}

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

function decodeAuth(auth: string): [string, string] {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) throw new KeyringError('unable to parse auth field, must be formatted as base64(username:password)');
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/** The keyring key of a registry location (`BasicDockerKeyring.Add`). */
export function keyringKey(location: string): string | undefined {
  const withScheme = /^https?:\/\//.test(location) ? location : `https://${location}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  let path = url.pathname;
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return path.length > 0 && path !== '/' ? `${url.host}${path}` : url.host;
}

function entriesOf(config: Record<string, any>): Entry[] {
  const out: Entry[] = [];
  for (const [location, e] of Object.entries(config ?? {})) {
    const key = keyringKey(location);
    if (!key || !e || typeof e !== 'object') continue;
    let username = typeof e.username === 'string' ? e.username : '';
    let password = typeof e.password === 'string' ? e.password : '';
    if (typeof e.auth === 'string' && e.auth !== '') [username, password] = decodeAuth(e.auth);
    out.push({ key, auth: { username, password } });
  }
  return out;
}

function parseJson(data: string, what: string): Record<string, any> {
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch (err) {
    throw new KeyringError(`invalid ${what}: ${(err as Error).message}`);
  }
}

/** Every credential the secrets carry, in secret order. */
export function keyringFromSecrets(secrets: Secret[]): Entry[] {
  const entries: Entry[] = [];
  for (const s of secrets) {
    const json = s.data?.['.dockerconfigjson'];
    const cfg = s.data?.['.dockercfg'];
    if (s.type === 'kubernetes.io/dockerconfigjson' && json) entries.push(...entriesOf(parseJson(json, '.dockerconfigjson').auths ?? {}));
    else if (s.type === 'kubernetes.io/dockercfg' && cfg) entries.push(...entriesOf(parseJson(cfg, '.dockercfg')));
  }
  return entries;
}

function globMatch(glob: string, s: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^.]*').replace(/\?/g, '[^.]')}$`);
  return re.test(s);
}

function split(location: string): { labels: string[]; port: string; path: string } {
  const slash = location.indexOf('/');
  const host = slash < 0 ? location : location.slice(0, slash);
  const path = slash < 0 ? '' : location.slice(slash);
  const m = /^(.*?)(?::(\d+))?$/.exec(host)!;
  return { labels: m[1].split('.'), port: m[2] ?? '', path };
}

/** `URLsMatchStr`. */
export function keyMatches(key: string, image: string): boolean {
  const g = split(key);
  const t = split(image);
  if (g.port !== t.port || g.labels.length !== t.labels.length || !t.path.startsWith(g.path)) return false;
  return g.labels.every((label, i) => globMatch(label, t.labels[i]));
}

function isDefaultRegistry(repo: string): boolean {
  const [first, rest] = [repo.split('/')[0], repo.includes('/')];
  if (!first) return false;
  if (!rest) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

/** `Lookup(repo)`: matching credentials, most specific key first. */
export function lookup(entries: Entry[], repo: string): AuthConfig[] {
  const keys = [...new Set(entries.map((e) => e.key))].sort().reverse();
  const out: AuthConfig[] = [];
  for (const k of keys) if (keyMatches(k, repo)) out.push(...entries.filter((e) => e.key === k).map((e) => e.auth));
  if (out.length) return out;
  if (isDefaultRegistry(repo)) return entries.filter((e) => e.key === 'index.docker.io').map((e) => e.auth);
  return [];
}
