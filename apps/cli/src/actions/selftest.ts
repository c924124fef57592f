import { LatentkitError } from '@latentkit/core';
import { formatSelfTestReport, runSelfTest } from '@latentkit/core/layers';
import { checkDatasets, defaultDataDir, formatDatasetReport } from '@latentkit/data';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  await startEngine(common, log);
  const report = await runSelfTest({ steps: opts.steps, seed: common.seed });
  process.stdout.write(`${formatSelfTestReport(report)}\n`);
  const datasets = await checkDatasets(opts.dataDir ?? defaultDataDir());
  process.stdout.write(`${datasets.map(formatDatasetReport).join('\n')}\n`);
  const failed = datasets.filter((d) => d.status === 'invalid');
  if (!report.ok || failed.length > 0) {
    throw new LatentkitError(
      'NUMERIC_ERROR',
      `self-test failed${report.ok ? '' : ' (training check)'}${failed.length ? `; invalid data: ${failed.map((d) => d.name).join(', ')}` : ''}`,
    );
  }
}
