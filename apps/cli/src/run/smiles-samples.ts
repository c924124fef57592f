/**
 * `latentkit sample` for a SMILES run: prior samples written as SMILES (one per line), and the run's molecule report
 * (a grid of drawn samples with their properties, MOSES metrics, property distributions) as files in the run folder.
 */
import path from 'node:path';
import { type Rng, writeFileAtomic } from '@latentkit/core';
import type { LoadedData } from '@latentkit/data';
import type { Model } from '@latentkit/models';
import type { ProgressBar } from '../progress.js';

/** SMILES decoded at a time (sampleSmiles' default too): the progress bar's step. */
const DECODE_BATCH = 500;

export function isSmilesModel(model: Model): boolean {
  return (model.config as { kind: string }).kind === 'smilesVae';
}

export async function writeSmilesSamples(
  runDir: string,
  model: Model,
  data: LoadedData,
  n: number,
  rng: Rng,
  options: {
    out?: string;
    temperature: number;
    maxLength?: number;
    /** A conditional model's condition per sample (`sample --class`, or the classes in turn). */
    labels?: ArrayLike<number>;
    log: (line: string) => void;
    /** Output.bar: a bar over the decoded batches, then the molecule report. */
    bar?: (label: string, total: number, unit?: string) => ProgressBar;
  },
): Promise<{ files: string[]; metrics?: unknown }> {
  const { log } = options;
  const [{ sampleSmiles, moleculeReport, writeMoleculeReport }, { loadChemistry }] = await Promise.all([
    import('@latentkit/molecules'),
    import('@latentkit/chem'),
  ]);
  // Decoding goes in batches of DECODE_BATCH (sampleSmiles' own), plus one step for the report.
  const bar = options.bar?.('sample: decoding', Math.ceil(n / DECODE_BATCH) + 1, 'steps');
  let smiles: string[];
  try {
    smiles = sampleSmiles(model as never, n, rng, {
      temperature: options.temperature,
      maxLength: options.maxLength,
      labels: options.labels,
      batchSize: DECODE_BATCH,
      onBatch: () => bar?.tick(),
    });
  } catch (e) {
    bar?.stop();
    throw e;
  }
  bar?.stage('sample: molecule report');
  const out = options.out ?? path.join(runDir, 'samples.smi');
  writeFileAtomic(out, `${smiles.join('\n')}\n`);
  log(`wrote ${n} SMILES to ${path.resolve(out)}`);
  const molecules = (data as { molecules?: { train: readonly string[]; test: readonly string[] } }).molecules;
  const chem = await loadChemistry();
  if (!smiles.some((s) => s !== '' && chem.isValidSmiles(s))) {
    bar?.stop();
    log('no sample is a valid molecule: no MOSES metrics or molecule grid (train longer)');
    return { files: [path.resolve(out)] };
  }
  let report: ReturnType<typeof moleculeReport>;
  let files: string[];
  try {
    // MOSES's strings are already canonical; a user's file may not be.
    report = moleculeReport(chem, smiles, molecules ?? { train: [], test: [] }, { canonicalizeTrain: data.spec.name !== 'moses' });
    files = writeMoleculeReport(chem, runDir, smiles, report);
    bar?.tick();
  } finally {
    bar?.stop();
  }
  const m = report.metrics;
  log(
    `valid ${m.valid.toFixed(4)}, unique@1k ${m.unique['1000']?.toFixed(4)}, novelty ${m.novelty?.toFixed(4) ?? '—'}, IntDiv1 ${m.intDiv1.toFixed(4)}; report: ${files.map((f) => path.basename(f)).join(', ')}`,
  );
  return { files: [path.resolve(out), ...files.map((f) => path.resolve(f))], metrics: m };
}
