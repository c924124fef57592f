import { Command, Option } from 'commander';
import { addOutputOptions, lazyAction } from '../options.js';

/** Collects a repeatable option's values. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function dataCommand(): Command {
  const data = addOutputOptions(new Command('data'))
    .description(
      'check which datasets are present and count them (PTB, 20 Newsgroups, MNIST, and the bundled MNIST digits); "data inspect <file>" for your own file',
    )
    .option('--data-dir <dir>', 'folder holding ptb/, 20news-nvdm/, mnist/ (default: env LATENTKIT_DATA_DIR)')
    .action(lazyAction(() => import('../actions/data.js')));
  data.addCommand(
    addOutputOptions(new Command('inspect'))
      .description("the inferred schema of a file: rows, each column's role and type, and its missing cells (CSV is streamed)")
      .argument('<file>', 'a CSV/TSV, JSONL, .npy, .mat, Arrow or Parquet table, an image folder, an IDX or a text file')
      .option('--format <format>', 'override the format detected from the name')
      .option('--columns <file>', 'JSON of per-column types or roles')
      .option('--missing <values>', 'cell values that mean missing besides empty, NA, NaN (repeatable or comma list)', collect, [])
      .option('--label-column <name>', 'the column holding labels')
      .option('--id-column <name>', 'a row id column')
      .option('--ignore-columns <names>', 'comma-separated columns to leave out')
      .option('--delimiter <char>', 'CSV: field delimiter (default: detected)')
      .addOption(new Option('--decimal <mark>', 'CSV: decimal mark').choices(['.', ',', 'auto']))
      // optsWithGlobals: `data` has a --json of its own, which commander would otherwise hand to it, not to inspect.
      .action(async (file: string, _opts: Record<string, unknown>, cmd: Command) =>
        (await import('../actions/data-inspect.js')).run({ ...cmd.optsWithGlobals(), file }),
      ),
  );
  return data;
}
