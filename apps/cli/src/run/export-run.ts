/** `export` of a run: ONNX files of its encoder and decoder, and their parity with tfjs on held-out data. */
import { acquireDirLock, writeFileAtomic } from '@latentkit/core';
import { type LoadedData, loadData } from '@latentkit/data';
import { type Batch, type Model, type TableBatch, Tabular, loadModel, tabularEncoderInput } from '@latentkit/models';
import { type OnnxFiles, type ParityReport, checkParity, saveOnnx } from '@latentkit/onnx';
import { writeRunHtml } from './run-html.js';
import { modelDirOf, readRunPreprocessing, readRunSpec, runPaths } from './run-folder.js';

/** The bar: ONNX outputs within 1e-4 of tfjs inference. */
export const PARITY_TOLERANCE = 1e-4;

export interface ExportedRun {
  readonly files: OnnxFiles;
  readonly parity: ParityReport & { readonly tolerance: number; readonly ok: boolean };
}

/** The stage that has just finished, for a progress bar. */
export type ExportStage = 'data and model loaded' | 'ONNX written' | 'parity checked' | 'report written';

export async function exportRun(
  dir: string,
  options: { out?: string; parityExamples?: number } = {},
  loaded?: { data?: LoadedData; model?: Model },
  onStage: (stage: ExportStage) => void = () => {},
): Promise<ExportedRun> {
  // Writes into the run folder: one command at a time per folder.
  const lock = acquireDirLock(dir, 'export');
  try {
    return await exportRunLocked(dir, options, loaded, onStage);
  } finally {
    lock.release();
  }
}

async function exportRunLocked(
  dir: string,
  options: { out?: string; parityExamples?: number } = {},
  loaded: { data?: LoadedData; model?: Model } | undefined,
  onStage: (stage: ExportStage) => void,
): Promise<ExportedRun> {
  const spec = await readRunSpec(dir);
  const paths = runPaths(dir);
  const data = loaded?.data ?? (await loadData(spec.data));
  const model = loaded?.model ?? loadModel(modelDirOf(dir));
  try {
    onStage('data and model loaded');
    const vocabulary = data.shape.kind === 'tokens' || data.shape.kind === 'counts' ? data.shape.vocabulary : undefined;
    const preprocessing = readRunPreprocessing(dir)?.toJSON();
    const files = saveOnnx(model, options.out ?? paths.onnx, { ...(vocabulary && { vocabulary }), ...(preprocessing && { preprocessing }) });
    onStage('ONNX written');
    const preview = data.preview(options.parityExamples ?? 64).batch as Batch;
    // The tabular encoder's ONNX input is the model's own encoder input matrix, built from the batch here.
    const parityBatch = model instanceof Tabular ? { ...preview, encoderInput: tabularEncoderInput(model.config.columns, preview as TableBatch) } : preview;
    const report = await checkParity(model, files, parityBatch as Batch);
    const parity = { ...report, tolerance: PARITY_TOLERANCE, ok: report.max <= PARITY_TOLERANCE };
    writeFileAtomic(paths.parity, `${JSON.stringify(parity, null, 2)}\n`);
    onStage('parity checked');
    await writeRunHtml(dir);
    onStage('report written');
    return { files, parity };
  } finally {
    if (!loaded?.model) model.dispose();
  }
}
