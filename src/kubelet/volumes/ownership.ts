/**
 * `SetVolumeOwnership` for a pod's `fsGroup`: every file and directory of a
 * volume gets the group, group read (and write, unless the volume is mounted
 * read-only), and directories the setgid bit so new files inherit the group.
 * Symlinks get the group but no chmod (that would change their target).
 */
import { chmod, lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const rwMask = 0o660;
const roMask = 0o440;
const execMask = 0o110;
const setgid = 0o2000;

export async function setVolumeOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const st = await lstat(dir);
  await lchown(dir, st.uid, fsGroup);
  if (st.isSymbolicLink()) return;
  let mask = readOnly ? roMask : rwMask;
  if (st.isDirectory()) mask |= setgid | execMask;
  await chmod(dir, (st.mode & 0o7777) | mask);
  if (st.isDirectory()) {
    for (const name of await readdir(dir)) await setVolumeOwnership(join(dir, name), fsGroup, readOnly);
  }
}
