import { runWorker } from '@latentkit/sweep';
import { type ActionOptions, outputOf } from '../options.js';
import { encodeChunkProcessor } from '../run/queue-encode.js';
import { scoreChunkProcessor } from '../run/queue-score.js';
import { cliTrialRunner } from '../sweep/run-trial.js';
import { validateTrialConfig } from '../sweep/trial-config.js';

export async function run(opts: ActionOptions): Promise<void> {
  const out = outputOf(opts);
  const log = out.log;
  const started = Date.now();
  const stop = new AbortController();
  // First Ctrl-C: take no new trial, finish the running one. Second: leave now; the trial's process checkpoints
  // when it sees this worker gone, and the queue hands the trial to another worker after --lock-timeout.
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    log('stopping after the running trial (Ctrl-C again to leave now; the trial resumes elsewhere)');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await runWorker({
    url: opts.queue,
    runsDir: opts.runsDir,
    runTrial: cliTrialRunner({ backend: opts.backend, seed: opts.seed }),
    chunkProcessors: { encode: encodeChunkProcessor(log, opts.backend), score: scoreChunkProcessor(log, opts.backend) },
    validateConfig: validateTrialConfig,
    concurrency: opts.concurrency,
    lockSeconds: opts.lockTimeout,
    log,
    signal: stop.signal,
  });
  // A worker's result is that it stopped cleanly; its trials' results are in their run folders and the queue.
  out.result({ stopped: true, queue: opts.queue.replace(/\/\/[^@/]*@/, '//***@'), seconds: (Date.now() - started) / 1000 }, () => '');
}
