import { recleanArticles } from '../../core/pipeline/index.js';
import { openContext } from '../../main/context.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';
import { selectSources } from './select.js';

/** recleanCommand re-runs cleaning from the stored raw items and rewrites the files whose body changed. */
export const recleanCommand: Command = {
  summary: 're-run cleaning on stored articles; rewrite only the files whose body changed',
  usage: 'newsmirror reclean [--config FILE] [--source ID]…',
  async run(args, io) {
    const config = await loadConfig(args);
    const sources = args.sources.length > 0 ? selectSources(config, args.sources) : config.sources;
    const context = await openContext(config, { ...shellPorts(io, args), lock: 'reclean' });
    try {
      const report = await recleanArticles(context.deps, sources);
      io.stdout.write(`reclean: ${report.examined} article(s) examined, ${report.changed} rewritten, ${report.failed.length} failed\n`);
      for (const failure of report.failed.slice(0, 20)) io.stdout.write(`  ${failure.articleId}: ${failure.reason}\n`);
      return report.failed.length > 0 ? EXIT.FAILURES : EXIT.OK;
    } finally {
      await context.close();
    }
  },
};
