/**
 * The one place in src/core allowed to import `node:crypto`: identity needs a stable cryptographic
 * hash, and a hand-rolled sha256 in pure TypeScript would be slower and one more thing to get wrong.
 */
import { createHash } from 'node:crypto';

/** sha256Hex returns the lower-case hex sha256 of a string (hashed as UTF-8) or of raw bytes. */
export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * sha256HexOfParts returns sha256Hex of the parts joined with no separator, without building the
 * joined string: a long article body is hashed where it lies instead of being copied first.
 */
export function sha256HexOfParts(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
