/** MEDIA_FOLDER is the folder, below the media root, that holds every mirrored image. */
export const MEDIA_FOLDER = 'media';

/**
 * mediaPath returns the content-addressed path of an image: `media/<first two hex>/<sha256>.<ext>`.
 * Two hex digits give 256 folders, which keeps each under 1,000 entries up to ~250,000 images.
 * Throws a TypeError for anything but a lower- or upper-case 64-digit hex digest and a short
 * alphanumeric extension, so a caller bug can never produce a path outside `media/`.
 *
 * @example
 * mediaPath('ab12…', 'jpg') // 'media/ab/ab12….jpg'
 */
export function mediaPath(sha256hex: string, ext: string): string {
  if (!/^[0-9a-f]{64}$/i.test(sha256hex)) throw new TypeError(`mediaPath: not a sha256 hex digest: ${sha256hex}`);
  if (!/^[a-z0-9]{1,8}$/i.test(ext)) throw new TypeError(`mediaPath: bad extension: ${ext}`);
  const hex = sha256hex.toLowerCase();
  return `${MEDIA_FOLDER}/${hex.slice(0, 2)}/${hex}.${ext.toLowerCase()}`;
}

/**
 * mediaLink returns how an article file refers to a media file: a path relative to the article's
 * folder (`../` once per folder of `articlePath`), which resolves the same on GitHub's file view
 * and in a local clone. An absolute URL target (media published elsewhere) is returned as is.
 *
 * @example
 * mediaLink('articles/rfi/2023/10/20/x.md', 'media/ab/ab12.jpg') // '../../../../../media/ab/ab12.jpg'
 */
export function mediaLink(articlePath: string, target: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  const folders = articlePath.split('/').filter((segment) => segment !== '' && segment !== '.').length - 1;
  return `${'../'.repeat(Math.max(0, folders))}${target.replace(/^\/+/, '')}`;
}
