import type { CleanRule } from '../types.js';
import { BBC_RULE } from './bbc.js';
import { CDT_RULE } from './cdt.js';
import { DW_RULE } from './dw.js';
import { FT_RULE } from './ft.js';
import { NYTIMES_RULE } from './nytimes.js';
import { REUTERS_RULE } from './reuters.js';
import { RFA_RULE } from './rfa.js';
import { RFI_RULE } from './rfi.js';
import { VOA_RULE } from './voa.js';

export { GENERIC_RULE } from './generic.js';

/** CLEAN_RULES is the built-in per-site rule list, one entry per file in this folder. */
export const CLEAN_RULES: readonly CleanRule[] = [
  RFI_RULE,
  REUTERS_RULE,
  VOA_RULE,
  DW_RULE,
  CDT_RULE,
  FT_RULE,
  RFA_RULE,
  BBC_RULE,
  NYTIMES_RULE,
];
