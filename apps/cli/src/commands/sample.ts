import { Command } from 'commander';
import { addCommonOptions, parseInteger, parseNumber, lazyAction } from '../options.js';

export function sampleCommand(): Command {
  const cmd = new Command('sample')
    .alias('generate')
    .description(
      'generate from a trained run: images to a PNG grid, sentences to stdout, molecules to a .smi file (with MOSES metrics), or an interpolation between two sentences',
    )
    .requiredOption('--run <dir>', 'run folder made by "latentkit train"')
    .option('-n, --count <n>', 'how many samples', parseInteger('--count', { min: 1 }), 16)
    .option('-o, --out <file>', 'PNG file for image samples, SMILES file for molecules (default: <run>/samples.png or <run>/samples.smi)')
    .option('--temperature <t>', 'text: divide logits by t before sampling; 0 decodes greedily', parseNumber('--temperature', { min: 0 }), 1)
    .option('--max-length <n>', "text: longest sentence in tokens (default: 50; molecules: the model's maxLength)", parseInteger('--max-length', { min: 1 }))
    .option('--interpolate <sentences...>', 'text: two sentences (quoted) to interpolate between through the latent space')
    .option('--steps <n>', 'points on the interpolation path, ends included', parseInteger('--steps', { min: 2 }), 5);
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/sample.js')));
}
