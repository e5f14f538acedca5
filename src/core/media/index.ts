export { collectImageRefs, collectImageUrls, bestSrcsetCandidate, normalizeImageUrl } from './collect.js';
export type { ImageEnclosure, ImageExtras, ImageRef } from './collect.js';
export { rewriteImages } from './rewrite.js';
export { MEDIA_FOLDER, mediaLink, mediaPath } from './path.js';
export { sniffImageType } from './sniff.js';
export type { ImageType, SniffedImage } from './sniff.js';
export { sanitizeSvg } from './svg.js';
export { PERMANENT_MEDIA_CODES, planMediaRetry } from './retry.js';
export type { MediaRetryPolicy } from './retry.js';
