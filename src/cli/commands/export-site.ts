import { NewsmirrorError } from '../../core/errors.js';
import { openReaderContext } from '../../main/context.js';
import { exportSiteTo } from '../../main/site.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';
import { readExportSelection } from './export-selection.js';

/**
 * exportSiteCommand writes the archive as a static HTML site that works from file:// and any static
 * host, with search in the browser; a second export rewrites only the files that changed.
 */
export const exportSiteCommand: Command = {
  summary: 'write a static HTML site of the archive (offline reading and search, file:// or any static host)',
  usage: 'newsmirror export-site DIR [--config FILE] [--source ID]… [--from DATE] [--to DATE]',
  async run(args, io) {
    const [dir, ...extra] = args.positionals;
    if (dir === undefined || dir === '' || extra.length > 0) throw new NewsmirrorError('usage', 'cli', 'export-site needs one output folder: newsmirror export-site DIR');
    const config = await loadConfig(args);
    const selection = readExportSelection(args, config);
    const context = await openReaderContext(config, shellPorts(io, args));
    try {
      const report = await exportSiteTo(context, dir, selection, io.cwd);
      io.stdout.write(
        `export-site: ${report.articles} article(s), ${report.files} file(s), ${report.written} written, ${report.files - report.written} unchanged, ${report.deleted} deleted${
          report.missingMedia > 0 ? `, ${report.missingMedia} image(s) missing from the archive` : ''
        }\n`,
      );
      return EXIT.OK;
    } finally {
      await context.close();
    }
  },
};
