import { runWorker } from '@latentkit/sweep';
import type { ActionOptions } from '../options.js';
import { cliTrialRunner } from '../sweep/run-trial.js';
import { validateTrialConfig } from '../sweep/trial-config.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function run(opts: ActionOptions): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await runWorker({
    url: opts.queue,
    runsDir: opts.runsDir,
    runTrial: cliTrialRunner({ backend: opts.backend, seed: opts.seed }),
    validateConfig: validateTrialConfig,
    concurrency: opts.concurrency,
    lockSeconds: opts.lockTimeout,
    log,
    signal: stop.signal,
  });
}
