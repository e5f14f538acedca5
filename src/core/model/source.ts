import type { FulltextMode, GuidPolicy } from './article.js';

/** Source is one entry of the validated source catalog, as the pipeline needs it. */
export interface Source {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  encoding?: string;
  guidPolicy: GuidPolicy;
  fulltext: FulltextMode;
  intervalMinutes: number;
  referer?: string;
}
