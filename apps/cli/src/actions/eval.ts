import path from 'node:path';
import { writeFileAtomic } from '@latentkit/core';
import { formatReport } from '@latentkit/eval';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { evaluateInput, evaluateRun } from '../run/evaluate-run.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  await startEngine(common, log);
  const normal = opts.anomalyNormal
    ? String(opts.anomalyNormal)
        .split(',')
        .map((s) => Number.parseInt(s, 10))
    : undefined;
  const options = {
    seed: common.seed,
    likelihood: { importanceSamples: opts.importanceSamples, seed: common.seed },
    probe: opts.probe ? {} : false,
    knn: opts.knn ? {} : false,
    kmeans: opts.kmeans ? { restarts: opts.kmeansRestarts } : false,
    ...(normal ? { anomaly: { normalClasses: normal } } : {}),
  } as const;
  if (opts.input) {
    const report = await evaluateInput(opts.run, opts.input, options, log);
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    if (opts.out) {
      writeFileAtomic(opts.out, `${JSON.stringify(report, null, 2)}\n`);
      log(`wrote ${path.resolve(opts.out)}`);
    }
    return;
  }
  const { report, files } = await evaluateRun(opts.run, options);
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  log(`wrote ${files.join(', ')}`);
}
