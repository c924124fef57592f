import path from 'node:path';
import { checkDatasets, defaultDataDir, formatDatasetReport } from '@latentkit/data';
import type { ActionOptions } from '../options.js';

export async function run(opts: ActionOptions): Promise<void> {
  const dir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
  const reports = await checkDatasets(dir);
  process.stdout.write(opts.json ? `${JSON.stringify(reports, null, 2)}\n` : `${reports.map(formatDatasetReport).join('\n')}\n`);
}
