import { Command, Option } from 'commander';
import { BACKEND_NAMES } from '@latentkit/core/base';
import { type ActionOptions, addOutputOptions, parseInteger } from '../options.js';

export function sweepCommand(): Command {
  const cmd = new Command('sweep')
    .description('train and evaluate a grid or seeded random search of run configs (sweep.json); writes a results table ranked on the metric')
    .argument(
      '<sweep.json>',
      '{"base": run config, "grid": {"model.bottleneck.kind": [...]}, "random": {n, seed, space}, "metric": "clustering.accuracy", "goal": "max"}',
    )
    .option('--parallel <n>', 'trials at once on this machine, one worker process each', parseInteger('--parallel', { min: 1 }), 1)
    .option('--queue <url>', 'run the trials on "latentkit worker"s through BullMQ on Redis: redis://[:password@]host:port[/db] or rediss://')
    .option('--runs-dir <dir>', 'root of the trial run folders, <dir>/<sweep id>/<trial>; shared by all workers in queue mode', 'runs')
    .option('--status', "print each trial's state (with --queue: from the queue, on any machine) and exit")
    .option('--cancel', 'with --queue: remove the trials not started and stop the running ones (they keep their checkpoints)')
    .addOption(
      new Option('--backend <name>', 'tensor backend of the trial processes (env LATENTKIT_BACKEND)')
        .choices(['auto', ...BACKEND_NAMES])
        .default(process.env.LATENTKIT_BACKEND ?? 'auto'),
    )
    .option('--seed <n>', 'seed of a trial whose config sets no trainer.seed', parseInteger('--seed'), 1);
  // Output flags last, as on every other command.
  return addOutputOptions(cmd).action(async (file: string, opts: ActionOptions) => (await import('../actions/sweep.js')).run(opts, file));
}
