import { Command } from 'commander';
import { addOutputOptions, lazyAction } from '../options.js';

export function compareCommand(): Command {
  const cmd = new Command('compare')
    .description('a side-by-side page of several runs: the settings they differ in, their evaluation numbers, their training curves overlaid')
    .argument('<run...>', 'two or more run folders made by "latentkit train" (evaluated ones show their numbers)')
    .option('-o, --out <file>', 'the HTML page to write', 'compare.html');
  return addOutputOptions(cmd).action(async (runs: string[], opts: Record<string, unknown>, c: Command) =>
    lazyAction(() => import('../actions/compare.js'))({ ...opts, runs }, c),
  );
}
