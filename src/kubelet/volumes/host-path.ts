/**
 * hostPath volumes: the kubelet's type check (`checkTypeInternal`), creating
 * the directory or file for the `...OrCreate` types. The path itself is used
 * as is; an untyped path that does not exist is created as a directory by
 * containerd when it bind-mounts it, as on a cluster node.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import { goPathError } from './go-path-error.ts';

export class HostPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostPathError';
  }
}

const checks: Record<string, { test: (s: import('node:fs').Stats) => boolean; what: string }> = {
  Directory: { test: (s) => s.isDirectory(), what: 'a directory' },
  File: { test: (s) => s.isFile(), what: 'a file' },
  Socket: { test: (s) => s.isSocket(), what: 'a socket file' },
  CharDevice: { test: (s) => s.isCharacterDevice(), what: 'a character device' },
  BlockDevice: { test: (s) => s.isBlockDevice(), what: 'a block device' },
};

export async function checkHostPath(path: string, type: string | undefined): Promise<void> {
  if (!type) return;
  const s = await stat(path).catch(() => undefined);
  try {
    // The ...OrCreate types create what is missing, then check like their plain type.
    if (type === 'DirectoryOrCreate' && !s) return void (await mkdir(path, { recursive: true, mode: 0o755 }));
    // Like os.OpenFile(O_CREATE, 0644): the parent directory must exist.
    if (type === 'FileOrCreate' && !s) return void (await (await open(path, 'a', 0o644)).close());
  } catch (err) {
    throw new HostPathError(goPathError(err));
  }
  const check = checks[type.replace(/OrCreate$/, '')];
  if (!check || (type.endsWith('OrCreate') && type !== 'DirectoryOrCreate' && type !== 'FileOrCreate')) {
    throw new HostPathError(`${type} is an invalid volume type`);
  }
  if (!s || !check.test(s)) throw new HostPathError(`hostPath type check failed: ${path} is not ${check.what}`);
}
