import { Command } from 'commander';
import { lazyAction } from '../options.js';

export function dataCommand(): Command {
  return new Command('data')
    .description('check which datasets are present and count them (PTB, 20 Newsgroups, MNIST, and the bundled MNIST digits)')
    .option('--data-dir <dir>', 'folder holding ptb/, 20news-nvdm/, mnist/ (default: env LATENTKIT_DATA_DIR)')
    .option('--json', 'print as JSON', false)
    .action(lazyAction(() => import('../actions/data.js')));
}
