import path from 'node:path';
import { SCORE_NAMES } from '../commands/score.js';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { scoreOnQueue } from '../run/queue-score.js';
import { scoreRun } from '../run/score-run.js';

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  const log = out.log;
  await startEngine(common, log);
  const options = {
    importanceSamples: opts.importanceSamples,
    fpr: opts.fpr,
    ...(opts.score && { score: SCORE_NAMES[opts.score as keyof typeof SCORE_NAMES] }),
    window: opts.window,
    stride: opts.stride,
    aggregate: opts.aggregate,
    labelWindows: opts.labelWindows,
    report: Boolean(opts.report),
    seed: common.seed,
    log,
    warn: out.warn,
    bar: out.bar,
  };
  const result = opts.queue
    ? await scoreOnQueue(opts.run, opts.input, opts.out, { ...options, queue: opts.queue, runsDir: opts.runsDir, chunkRows: opts.chunkRows })
    : await scoreRun(opts.run, opts.input, opts.out, options);
  const c = result.calibration;
  log(`flag: ${c.scoreKind} > ${c.threshold.toPrecision(6)} (FPR ${c.fpr} on ${c.n} held-out normal records); ${result.flagged} of ${result.records} flagged`);
  for (const [kind, m] of Object.entries(result.metrics ?? {})) log(`${kind}: AUROC ${m.auroc.toFixed(4)}, AUPRC ${m.auprc.toFixed(4)}`);
  log(`wrote ${result.files.join(', ')}`);
  out.result(
    {
      file: path.resolve(opts.out),
      files: result.files.map((f) => path.resolve(f)),
      records: result.records,
      flagged: result.flagged,
      calibration: c,
      metrics: result.metrics ?? null,
    },
    () => '',
  );
}
