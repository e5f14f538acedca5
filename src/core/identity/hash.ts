/**
 * The one place in src/core allowed to import `node:crypto`: identity needs a stable cryptographic
 * hash, and a hand-rolled sha256 in pure TypeScript would be slower and one more thing to get wrong.
 */
import { createHash } from 'node:crypto';

/** sha256Hex returns the lower-case hex sha256 of a string (hashed as UTF-8) or of raw bytes. */
export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
