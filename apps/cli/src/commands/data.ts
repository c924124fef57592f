import path from 'node:path';
import { Command } from 'commander';
import { checkDatasets, defaultDataDir, formatDatasetReport } from '@latentkit/data';

export function dataCommand(): Command {
  return new Command('data')
    .description('check which datasets are present and count them (PTB, 20 Newsgroups, MNIST, and the bundled MNIST digits)')
    .option('--data-dir <dir>', 'folder holding ptb/, 20news-nvdm/, mnist/ (default: env LATENTKIT_DATA_DIR)')
    .option('--json', 'print as JSON', false)
    .action(async (opts) => {
      const dir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
      const reports = await checkDatasets(dir);
      process.stdout.write(opts.json ? `${JSON.stringify(reports, null, 2)}\n` : `${reports.map(formatDatasetReport).join("\n")}\n`);
    });
}
