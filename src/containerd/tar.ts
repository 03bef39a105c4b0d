/**
 * A minimal ustar writer and reader: enough to build image layers and OCI image
 * archives byte-for-byte reproducibly, and to read an archive's small metadata
 * files back. No PAX/GNU extensions: a path that does not fit ustar's
 * name (100) + prefix (155) fields is an error, never silently truncated.
 *
 * Determinism: every header field comes from the entry or from fixed defaults
 * (uid/gid 0, uname/gname "root", the caller's mtime); nothing is read from the
 * clock or the file system.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type TarEntry =
  | { type: 'file'; path: string; data: Buffer; mode?: number; uid?: number; gid?: number }
  | { type: 'dir'; path: string; mode?: number; uid?: number; gid?: number }
  | { type: 'hardlink'; path: string; target: string; mode?: number }
  | { type: 'symlink'; path: string; target: string };

export interface TarWriteOptions {
  /** Seconds since the epoch written as every entry's mtime. */
  mtime: number;
}

export interface TarReadEntry {
  type: 'file' | 'dir' | 'hardlink' | 'symlink' | 'other';
  path: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Link target for hard and symbolic links, '' otherwise. */
  linkname: string;
  data: Buffer;
}

export const TarErrorCode = {
  PathTooLong: 'TAR_PATH_TOO_LONG',
  BadChecksum: 'TAR_BAD_CHECKSUM',
  Truncated: 'TAR_TRUNCATED',
} as const;
export type TarErrorCode = (typeof TarErrorCode)[keyof typeof TarErrorCode];

export class TarError extends Error {
  readonly code: TarErrorCode;
  constructor(code: TarErrorCode, message: string) {
    super(message);
    this.name = 'TarError';
    this.code = code;
  }
}

const BLOCK = 512;
const TYPEFLAG = { file: '0', hardlink: '1', symlink: '2', dir: '5' } as const;

/** Serialises `entries` in order, followed by the two zero blocks ending an archive. */
export function writeTar(entries: readonly TarEntry[], opts: TarWriteOptions): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'file' ? e.data : undefined;
    parts.push(header(e, data?.length ?? 0, opts.mtime));
    if (data && data.length > 0) {
      parts.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function header(e: TarEntry, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const path = e.type === 'dir' && !e.path.endsWith('/') ? `${e.path}/` : e.path;
  const [prefix, name] = splitPath(path);
  const mode = e.type === 'symlink' ? 0o777 : e.type === 'dir' ? (e.mode ?? 0o755) : (e.mode ?? 0o644);
  const uid = e.type === 'file' || e.type === 'dir' ? (e.uid ?? 0) : 0;
  const gid = e.type === 'file' || e.type === 'dir' ? (e.gid ?? 0) : 0;
  putString(h, 0, 100, name);
  putOctal(h, 100, 8, mode);
  putOctal(h, 108, 8, uid);
  putOctal(h, 116, 8, gid);
  putOctal(h, 124, 12, size);
  putOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156);
  h.write(TYPEFLAG[e.type], 156, 'latin1');
  if (e.type === 'hardlink' || e.type === 'symlink') {
    if (Buffer.byteLength(e.target) > 100) {
      throw new TarError(TarErrorCode.PathTooLong, `write tar entry "${e.path}": link target "${e.target}" is longer than 100 bytes`);
    }
    putString(h, 157, 100, e.target);
  }
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  putString(h, 265, 32, 'root');
  putString(h, 297, 32, 'root');
  putOctal(h, 329, 8, 0);
  putOctal(h, 337, 8, 0);
  putString(h, 345, 155, prefix);
  putOctal(h, 148, 7, checksum(h));
  return h;
}

/** Splits a path into ustar's (prefix, name) at a '/' so that both fit. */
function splitPath(path: string): [string, string] {
  const bytes = Buffer.byteLength(path);
  if (bytes <= 100) return ['', path];
  // The split must fall on a '/', leave ≤ 155 bytes before it and ≤ 100 after.
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== '/') continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return [prefix, name];
  }
  throw new TarError(TarErrorCode.PathTooLong, `write tar entry "${path}": path does not fit the ustar name and prefix fields`);
}

function putString(h: Buffer, off: number, len: number, s: string): void {
  const b = Buffer.from(s, 'utf8');
  if (b.length > len) throw new TarError(TarErrorCode.PathTooLong, `write tar header: "${s}" is longer than ${len} bytes`);
  b.copy(h, off);
}

/** Zero-padded octal, NUL-terminated, in a field of `len` bytes. */
function putOctal(h: Buffer, off: number, len: number, n: number): void {
  h.write(`${n.toString(8).padStart(len - 1, '0')}\0`, off, 'latin1');
}

function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum;
}

/** Parses a whole (uncompressed) tar archive. */
export function readTar(buf: Buffer): TarReadEntry[] {
  const out: TarReadEntry[] = [];
  let off = 0;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const sum = parseOctal(h, 148, 8);
    if (sum !== checksum(h)) throw new TarError(TarErrorCode.BadChecksum, `read tar: bad header checksum at offset ${off}`);
    const name = readString(h, 0, 100);
    const prefix = h.subarray(257, 263).toString('latin1') === 'ustar\0' ? readString(h, 345, 155) : '';
    const size = parseOctal(h, 124, 12);
    const flag = String.fromCharCode(h[156] || 0x30);
    const start = off + BLOCK;
    if (start + size > buf.length) throw new TarError(TarErrorCode.Truncated, `read tar: entry "${name}" is truncated`);
    out.push({
      type: flag === '0' ? 'file' : flag === '1' ? 'hardlink' : flag === '2' ? 'symlink' : flag === '5' ? 'dir' : 'other',
      path: prefix ? `${prefix}/${name}` : name,
      mode: parseOctal(h, 100, 8),
      uid: parseOctal(h, 108, 8),
      gid: parseOctal(h, 116, 8),
      mtime: parseOctal(h, 136, 12),
      linkname: readString(h, 157, 100),
      data: buf.subarray(start, start + size),
    });
    off = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

function readString(h: Buffer, off: number, len: number): string {
  const field = h.subarray(off, off + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? len : nul).toString('utf8');
}

function parseOctal(h: Buffer, off: number, len: number): number {
  const s = h.subarray(off, off + len).toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return s ? parseInt(s, 8) : 0;
}

/**
 * Reads only the named members of a tar file, seeking past everything else,
 * so metadata can be pulled out of a large archive without loading it.
 * Members not found are absent from the result.
 */
export function readTarMembers(file: string, names: ReadonlySet<string>): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const h = Buffer.alloc(BLOCK);
    let off = 0;
    while (off + BLOCK <= size && found.size < names.size) {
      if (readSync(fd, h, 0, BLOCK, off) !== BLOCK || h.every((b) => b === 0)) break;
      if (parseOctal(h, 148, 8) !== checksum(h)) throw new TarError(TarErrorCode.BadChecksum, `read tar "${file}": bad header checksum at offset ${off}`);
      const name = readString(h, 0, 100);
      const prefix = h.subarray(257, 263).toString('latin1') === 'ustar\0' ? readString(h, 345, 155) : '';
      const path = (prefix ? `${prefix}/${name}` : name).replace(/^\.\//, '');
      const len = parseOctal(h, 124, 12);
      if (names.has(path)) {
        const data = Buffer.alloc(len);
        if (readSync(fd, data, 0, len, off + BLOCK) !== len) throw new TarError(TarErrorCode.Truncated, `read tar "${file}": entry "${path}" is truncated`);
        found.set(path, data);
      }
      off += BLOCK + Math.ceil(len / BLOCK) * BLOCK;
    }
  } finally {
    closeSync(fd);
  }
  return found;
}
