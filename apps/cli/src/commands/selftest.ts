import { Command } from 'commander';
import { LatentkitError, formatSelfTestReport, runSelfTest } from '@latentkit/core';
import { checkDatasets, defaultDataDir, formatDatasetReport } from '@latentkit/data';
import { addCommonOptions, commonOptions, parseInteger, startEngine } from '../options.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export function selftestCommand(): Command {
  const cmd = new Command('selftest')
    .description('check this machine: train a few steps of an embedding→LSTM→dense model and a conv autoencoder on the backend, and count the datasets')
    .option('--steps <n>', 'Adam steps per model (default 5)', parseInteger('--steps', { min: 2 }), 5)
    .option('--data-dir <dir>', 'folder holding ptb/, 20news-nvdm/, mnist/ (default: env LATENTKIT_DATA_DIR)');
  return addCommonOptions(cmd).action(async (opts) => {
    const common = commonOptions(opts);
    await startEngine(common, log);
    const report = await runSelfTest({ steps: opts.steps, seed: common.seed });
    process.stdout.write(`${formatSelfTestReport(report)}\n`);
    const datasets = await checkDatasets(opts.dataDir ?? defaultDataDir());
    process.stdout.write(`${datasets.map(formatDatasetReport).join('\n')}\n`);
    const failed = datasets.filter((d) => d.status === 'invalid');
    if (!report.ok || failed.length > 0) {
      throw new LatentkitError('NUMERIC_ERROR', `self-test failed${report.ok ? '' : ' (training check)'}${failed.length ? `; invalid data: ${failed.map((d) => d.name).join(', ')}` : ''}`);
    }
  });
}
