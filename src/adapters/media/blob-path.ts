import { createHash } from 'node:crypto';
import { NewsmirrorError } from '../../core/errors.js';
import { mediaPath } from '../../core/media/index.js';

const BLOB_PATH = /^media\/[0-9a-f]{2}\/([0-9a-f]{64})\.([a-z0-9]{1,8})$/;

/**
 * checkBlob refuses, as a `store` error, a blob whose path is not a media path or whose bytes do not
 * hash to the digest the path names: content addressing is what makes a second put a no-op.
 */
export function checkBlob(path: string, bytes: Uint8Array): void {
  const match = BLOB_PATH.exec(path);
  if (match === null || mediaPath(match[1] ?? '', match[2] ?? '') !== path) {
    throw new NewsmirrorError('store', 'media', `media blob ${JSON.stringify(path)}: not a media path (media/ab/<sha256>.<ext>)`);
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== match[1]) throw new NewsmirrorError('store', 'media', `media blob ${path}: the bytes hash to ${digest}, not to the path's digest`);
}
