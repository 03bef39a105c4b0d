/**
 * Server-set metadata: uid, creationTimestamp, generateName, and the RFC 3339
 * time format the API uses (second precision, `Z`).
 */
import { randomBytes, randomUUID } from 'node:crypto';

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

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
