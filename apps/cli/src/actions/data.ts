import path from 'node:path';
import { checkDatasets, defaultDataDir, formatDatasetReport } from '@latentkit/data';
import { type ActionOptions, outputOf } from '../options.js';

export async function run(opts: ActionOptions): Promise<void> {
  const dir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
  const reports = await checkDatasets(dir);
  outputOf(opts).result(reports, () => reports.map(formatDatasetReport).join('\n'));
}
