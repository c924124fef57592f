import { SCORE_NAMES } from '../commands/score.js';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { scoreRun } from '../run/score-run.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  await startEngine(common, log);
  const result = await scoreRun(opts.run, opts.input, opts.out, {
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
  });
  const c = result.calibration;
  log(`flag: ${c.scoreKind} > ${c.threshold.toPrecision(6)} (FPR ${c.fpr} on ${c.n} held-out normal records); ${result.flagged} of ${result.records} flagged`);
  for (const [kind, m] of Object.entries(result.metrics ?? {})) log(`${kind}: AUROC ${m.auroc.toFixed(4)}, AUPRC ${m.auprc.toFixed(4)}`);
  log(`wrote ${result.files.join(', ')}`);
}
