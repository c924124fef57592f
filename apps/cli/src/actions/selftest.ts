import { LatentkitError } from '@latentkit/core';
import { formatSelfTestReport, runSelfTest } from '@latentkit/core/layers';
import { checkDatasets, defaultDataDir, formatDatasetReport } from '@latentkit/data';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  await startEngine(common, out.log);
  const report = await runSelfTest({ steps: opts.steps, seed: common.seed });
  const datasets = await checkDatasets(opts.dataDir ?? defaultDataDir());
  out.result({ training: report, datasets }, () => [formatSelfTestReport(report), ...datasets.map(formatDatasetReport)].join('\n'));
  const failed = datasets.filter((d) => d.status === 'invalid');
  if (!report.ok || failed.length > 0) {
    throw new LatentkitError(
      'NUMERIC_ERROR',
      `self-test failed${report.ok ? '' : ' (training check)'}${failed.length ? `; invalid data: ${failed.map((d) => d.name).join(', ')}` : ''}`,
    );
  }
}
