/**
 * Test helper: bytes this process has read through read(2)-like calls so far
 * (`rchar` of /proc/self/io), so a test can check that a bounded reader did
 * not read a whole large file.
 */
import { readFileSync } from 'node:fs';

export function bytesRead(): number {
  const m = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  if (!m) throw new Error('read /proc/self/io: no rchar line');
  return Number(m[1]);
}
