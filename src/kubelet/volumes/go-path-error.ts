/**
 * A Node file-system error as Go's `*fs.PathError` prints it
 * (`open /x/y: no such file or directory`), the form kubelet volume errors
 * reach users in.
 */
const strerror: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EEXIST: 'file exists',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EBUSY: 'device or resource busy',
  EINVAL: 'invalid argument',
};

export function goPathError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e !== 'object' || !e.code) return err instanceof Error ? err.message : String(err);
  const text = strerror[e.code] ?? e.message;
  const op = e.syscall === 'opendir' || e.syscall === 'scandir' ? 'open' : (e.syscall ?? 'stat');
  return e.path ? `${op} ${e.path}: ${text}` : text;
}
