import { Command, Option } from 'commander';
import { BACKEND_NAMES } from '@latentkit/core/base';
import { addOutputOptions, lazyAction, parseInteger, parseNumber } from '../options.js';

export function workerCommand(): Command {
  return addOutputOptions(new Command('worker'))
    .description('take sweep trials and encode/score chunks from a BullMQ queue on Redis and run them until stopped with Ctrl-C')
    .requiredOption('--queue <url>', 'redis://[:password@]host:port[/db] or rediss://')
    .option('--runs-dir <dir>', 'the shared run root, the same folder (e.g. an NFS mount) on every worker', 'runs')
    .option('--concurrency <n>', 'trials at once on this worker', parseInteger('--concurrency', { min: 1 }), 1)
    .option('--lock-timeout <seconds>', "seconds after which a dead worker's trial goes to another worker", parseNumber('--lock-timeout', { min: 1 }), 30)
    .addOption(
      new Option('--backend <name>', 'tensor backend of the trial processes (env LATENTKIT_BACKEND)')
        .choices(['auto', ...BACKEND_NAMES])
        .default(process.env.LATENTKIT_BACKEND ?? 'auto'),
    )
    .option('--seed <n>', 'seed of a trial whose config sets no trainer.seed', parseInteger('--seed'), 1)
    .action(lazyAction(() => import('../actions/worker.js')));
}
