import { Command, Option } from 'commander';
import { BACKEND_NAMES } from '@latentkit/core/base';
import { addOutputOptions, lazyAction, parseInteger, parseNumber } from '../options.js';

export function workerCommand(): Command {
  const cmd = new Command('worker')
    .description('take sweep trials and encode/score chunks from a BullMQ queue on Redis and run them until stopped with Ctrl-C')
    // --json is shared by every command; a worker's result only exists once it stops, so its help says when it comes.
    .addHelpText(
      'after',
      [
        '',
        'With --json, a worker prints its one JSON document, {stopped, queue, seconds},',
        "when it stops (Ctrl-C, SIGTERM); its trials' results are in their run folders",
        "and in the sweep's results table.",
      ].join('\n'),
    )
    .requiredOption('--queue <url>', 'the queue to take work from: redis://[:password@]host:port[/db] or rediss://')
    .option('--runs-dir <dir>', 'the shared run root, the same folder (e.g. an NFS mount) on every worker', 'runs')
    .option('--concurrency <n>', 'trials at once on this worker', parseInteger('--concurrency', { min: 1 }), 1)
    .option('--lock-timeout <seconds>', "seconds after which a dead worker's trial goes to another worker", parseNumber('--lock-timeout', { min: 1 }), 30)
    .addOption(
      new Option('--backend <name>', 'tensor backend of the trial processes (env LATENTKIT_BACKEND)')
        .choices(['auto', ...BACKEND_NAMES])
        .default(process.env.LATENTKIT_BACKEND ?? 'auto'),
    )
    .option('--seed <n>', 'seed of a trial whose config sets no trainer.seed', parseInteger('--seed'), 1);
  // Output flags last, as on every other command.
  return addOutputOptions(cmd).action(lazyAction(() => import('../actions/worker.js')));
}
