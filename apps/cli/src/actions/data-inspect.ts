import { type ColumnsConfig, type DataFormat, formatInspection, inspectFile } from '@latentkit/data';
import { type ActionOptions, outputOf } from '../options.js';
import { type TrainFlags, fileOptionsFrom } from '../run/run-config.js';

export async function run(opts: ActionOptions): Promise<void> {
  const { columns, ...rest } = fileOptionsFrom({ ...(opts as TrainFlags), seed: 1 });
  const inspection = await inspectFile(opts.file, {
    ...(rest as object),
    ...(columns !== undefined && { columns: columns as ColumnsConfig }),
    ...(opts.format !== undefined && { format: opts.format as DataFormat }),
  });
  outputOf(opts).result(inspection, () => formatInspection(inspection));
}
