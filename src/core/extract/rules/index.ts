import type { ExtractRule } from './types.js';
import { BBC_RULE } from './bbc.js';
import { CDT_RULE } from './cdt.js';
import { FT_RULE } from './ft.js';
import { REUTERS_RULE } from './reuters.js';
import { RFI_RULE } from './rfi.js';

export type { ExtractRule };

/** EXTRACT_RULES lists the site rules for the catalog's sources whose page layout we could verify. */
export const EXTRACT_RULES: readonly ExtractRule[] = [RFI_RULE, BBC_RULE, REUTERS_RULE, FT_RULE, CDT_RULE];
