/**
 * Server-set metadata: uid and generateName's suffix (the time format of
 * creationTimestamp is api/time.ts's).
 */
import { randomBytes, randomUUID } from 'node:crypto';

export function newUid(): string {
  return randomUUID();
}

// apimachinery's SimpleNameGenerator alphabet: no vowels, no confusable digits.
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(base: string): string {
  const maxBase = 63 - 5;
  const prefix = base.length > maxBase ? base.slice(0, maxBase) : base;
  const bytes = randomBytes(5);
  let suffix = '';
  for (const b of bytes) suffix += alphabet[b % alphabet.length];
  return prefix + suffix;
}
