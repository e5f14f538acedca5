import { openContext } from '../../main/context.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';

const BATCH = 500;

/**
 * reindexCommand rebuilds the full-text index from the store: for a store that predates the index,
 * or after a change to tokenization. Articles are re-indexed in batches; the store is only read.
 */
export const reindexCommand: Command = {
  summary: 'rebuild the full-text search index from the stored articles',
  usage: 'newsmirror reindex [--config FILE]',
  async run(args, io) {
    const config = await loadConfig(args);
    const context = await openContext(config, { ...shellPorts(io, args), lock: 'reindex' });
    try {
      const ids = await context.store.listArticleIds();
      let done = 0;
      for (let start = 0; start < ids.length; start += BATCH) {
        const found = await context.store.getArticles(ids.slice(start, start + BATCH));
        await context.search.index(found);
        done += found.length;
      }
      await context.searchRefill?.refilled();
      io.stdout.write(`reindex: ${done} article(s) indexed\n`);
      return EXIT.OK;
    } finally {
      await context.close();
    }
  },
};
