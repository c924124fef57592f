/**
 * The `latentkit` command tree. Each command lives in its own module under commands/.
 */
import { Command } from 'commander';
import { dataCommand } from './commands/data.js';
import { infoCommand } from './commands/info.js';
import { packageVersions } from './versions.js';

export function createProgram(): Command {
  const program = new Command('latentkit')
    .description('Regularized autoencoders in Node.js: train, evaluate, encode, sample and export to ONNX.')
    .version(packageVersions()['@latentkit/cli'] ?? 'unknown')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const cmd of [infoCommand(), dataCommand()]) program.addCommand(cmd.exitOverride());
  return program;
}
