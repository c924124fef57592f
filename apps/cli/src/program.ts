/**
 * The `latentkit` command tree. Each command lives in its own module under commands/.
 */
import { Command } from 'commander';
import { compareCommand } from './commands/compare.js';
import { dataCommand } from './commands/data.js';
import { imputeCommand } from './commands/impute.js';
import { infoCommand } from './commands/info.js';
import { optimizeCommand } from './commands/optimize.js';
import { encodeCommand } from './commands/encode.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { quickstartCommand } from './commands/quickstart.js';
import { sampleCommand } from './commands/sample.js';
import { scoreCommand } from './commands/score.js';
import { sweepCommand } from './commands/sweep.js';
import { selftestCommand } from './commands/selftest.js';
import { trainCommand } from './commands/train.js';
import { workerCommand } from './commands/worker.js';
import { packageVersions } from './versions.js';

export function createProgram(): Command {
  const program = new Command('latentkit')
    .description('Regularized autoencoders in Node.js: train, evaluate, encode, impute, sample and export to ONNX.')
    .version(packageVersions()['@latentkit/cli'] ?? 'unknown')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const cmd of [
    quickstartCommand(),
    trainCommand(),
    evalCommand(),
    encodeCommand(),
    imputeCommand(),
    scoreCommand(),
    sampleCommand(),
    optimizeCommand(),
    exportCommand(),
    compareCommand(),
    infoCommand(),
    selftestCommand(),
    dataCommand(),
    sweepCommand(),
    workerCommand(),
  ])
    program.addCommand(cmd.exitOverride());
  return program;
}
