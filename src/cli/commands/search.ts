import { decodeHTML } from 'entities';
import { NewsmirrorError } from '../../core/errors.js';
import { formatListTime } from '../../core/render/index.js';
import { openReaderContext } from '../../main/context.js';
import { parseQuery, toApiSearchResult } from '../../web/index.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';

const LIMIT = 20;

/**
 * searchCommand prints the results `GET /api/search` gives: newest first, with highlighted
 * snippets (bold on a terminal, 【】 otherwise), or the API's JSON with --json.
 */
export const searchCommand: Command = {
  summary: 'full-text search of the stored articles (Chinese substrings, phrases, Latin words)',
  usage: 'newsmirror search QUERY [--config FILE] [--source ID]… [--json]',
  async run(args, io) {
    if (args.positionals.join('').trim() === '') throw new NewsmirrorError('usage', 'cli', 'search needs a query: newsmirror search QUERY');
    const q = parseQuery(args.positionals.join(' '));
    const config = await loadConfig(args);
    const known = new Set(config.sources.map((source) => source.id));
    for (const id of args.sources) {
      if (!known.has(id)) throw new NewsmirrorError('usage', 'cli', `unknown source "${id}"`);
    }
    const context = await openReaderContext(config, shellPorts(io, args));
    try {
      const result = toApiSearchResult(
        await context.search.search({ q, order: 'newest', limit: LIMIT, ...(args.sources.length > 0 ? { sourceIds: args.sources } : {}) }),
      );
      if (args.flags.json) {
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return EXIT.OK;
      }
      const names = new Map(config.sources.map((source) => [source.id, source.name]));
      const [open, close] = io.stdout.isTTY ? ['\u001b[1m', '\u001b[22m'] : ['【', '】'];
      io.stdout.write(`${result.total} article${result.total === 1 ? '' : 's'} match ${JSON.stringify(q)}${result.total > LIMIT ? ` (newest ${LIMIT} shown)` : ''}\n`);
      for (const hit of result.results) {
        const snippet = decodeHTML(hit.snippet.replace(/<mark>/g, open).replace(/<\/mark>/g, close).replace(/<[^>]*>/g, ''));
        io.stdout.write(
          `\n${formatListTime(Date.parse(hit.published), config.timezone)}  ${names.get(hit.source) ?? hit.source}  ${hit.title}\n  ${snippet}\n  ${hit.url}\n`,
        );
      }
      return EXIT.OK;
    } finally {
      await context.close();
    }
  },
};
