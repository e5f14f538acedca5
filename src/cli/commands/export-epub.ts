import { NewsmirrorError } from '../../core/errors.js';
import { openReaderContext } from '../../main/context.js';
import { exportEpubTo } from '../../main/site.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';
import { readExportSelection } from './export-selection.js';

/**
 * exportEpubCommand writes the chosen articles as an EPUB 3 book: chapters by day and source, the
 * mirrored images inside, readable offline on any e-reader.
 */
export const exportEpubCommand: Command = {
  summary: 'write an EPUB 3 book of the archive (table of contents by day and source, mirrored images inside)',
  usage: 'newsmirror export-epub FILE [--config FILE] [--source ID]… [--from DATE] [--to DATE]',
  async run(args, io) {
    const [file, ...extra] = args.positionals;
    if (file === undefined || file === '' || extra.length > 0) throw new NewsmirrorError('usage', 'cli', 'export-epub needs one output file: newsmirror export-epub FILE');
    const config = await loadConfig(args);
    const selection = readExportSelection(args, config);
    const context = await openReaderContext(config, shellPorts(io, args));
    try {
      const report = await exportEpubTo(context, file, selection, io.cwd);
      io.stdout.write(
        `export-epub: ${report.articles} article(s) in ${report.chapters} chapter(s), ${report.images} image(s)${
          report.imagesLeftOut > 0 ? `, ${report.imagesLeftOut} image(s) left out (not mirrored or not an EPUB image type)` : ''
        }\n`,
      );
      return EXIT.OK;
    } finally {
      await context.close();
    }
  },
};
