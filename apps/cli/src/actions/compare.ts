import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import { type ActionOptions, outputOf } from '../options.js';
import { compareHtml, compareRuns } from '../run/compare-runs.js';

export async function run(opts: ActionOptions): Promise<void> {
  const out = outputOf(opts);
  const runs = opts.runs as string[];
  if (runs.length < 2) throw new LatentkitError('INVALID_ARGUMENT', `compare needs at least two run folders, got ${runs.length}`);
  const comparison = await compareRuns(runs);
  const file = path.resolve(opts.out);
  writeFileAtomic(file, await compareHtml(comparison));
  out.log(`wrote ${file}`);
  out.result(
    {
      page: file,
      runs: comparison.runs.map((r) => ({ name: r.name, dir: r.dir, evaluated: r.report !== null })),
      differences: comparison.differences,
      metrics: comparison.metrics,
    },
    () =>
      [
        `${comparison.runs.length} runs; ${comparison.differences.length} setting(s) differ: ${comparison.differences.map((d) => d.key).join(', ') || 'none'}`,
        `page: ${file}`,
      ].join('\n'),
  );
}
