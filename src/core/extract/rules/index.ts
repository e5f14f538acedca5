import type { ExtractRule } from './types.js';
import { bbc } from './bbc.js';
import { cdt } from './cdt.js';
import { ft } from './ft.js';
import { reuters } from './reuters.js';
import { rfi } from './rfi.js';

export type { ExtractRule };

/** EXTRACT_RULES lists the site rules for the catalog's sources whose page layout we could verify. */
export const EXTRACT_RULES: readonly ExtractRule[] = [rfi, bbc, reuters, ft, cdt];
