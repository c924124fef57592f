import { Command } from 'commander';
import { addCommonOptions, parseInteger, parseNumber, lazyAction } from '../options.js';

export function sampleCommand(): Command {
  const cmd = new Command('sample')
    .alias('generate')
    .description(
      'generate from a trained run: images to a PNG grid, sentences to stdout, molecules to a .smi file (with MOSES metrics), table rows to a CSV, or an interpolation between two sentences',
    )
    .requiredOption('--run <dir>', 'run folder made by "latentkit train"')
    .option('-n, --count <n>', 'how many samples', parseInteger('--count', { min: 1 }), 16)
    .option(
      '-o, --out <file>',
      'PNG file for image samples, SMILES file for molecules, CSV/TSV for table rows (default: <run>/samples.png, .smi or .csv); a .npy file gets the raw arrays (pixels, codes, or rows), with the PNG or CSV next to it',
    )
    .option('--temperature <t>', 'text: divide logits by t before sampling; 0 decodes greedily', parseNumber('--temperature', { min: 0 }), 1)
    .option('--max-length <n>', "text: longest sentence in tokens (default: 50; molecules: the model's maxLength)", parseInteger('--max-length', { min: 1 }))
    .option('--input <file>', "with --interpolate i j or --traverse: take the examples from this new file (read through the run's preprocessing or vocabulary)")
    .option(
      '--interpolate <i j|sentences...>',
      'walk the latent path between held-out examples i and j of the test split (slerp on spherical latents, else linear); text also takes two quoted sentences',
    )
    .option(
      '--traverse <dim>',
      'sweep latent dimension dim from -3σ to +3σ of the held-out codes, one row per held-out example',
      parseInteger('--traverse', { min: 0 }),
    )
    .option('--rows <n>', '--traverse: held-out examples (rows) in the grid (default: 8 for images, 1 otherwise)', parseInteger('--rows', { min: 1 }))
    .option('--class <c>', 'conditional models: the class to generate (an index, or a class name)')
    .option(
      '--condition <col=value>',
      "conditional models: the condition as <source>=<value>: a class (label=7, species=setosa) or a numeric column's value (price=1.5)",
    )
    .option('--steps <n>', 'points on the interpolation path (ends included) or per traversal row (default: 5 and 9)', parseInteger('--steps', { min: 2 }));
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/sample.js')));
}
