/**
 * `latentkit sample` for a SMILES run: prior samples written as SMILES (one per line), and the run's molecule report
 * (a grid of drawn samples with their properties, MOSES metrics, property distributions) as files in the run folder.
 */
import path from 'node:path';
import { type Rng, writeFileAtomic } from '@latentkit/core';
import type { LoadedData } from '@latentkit/data';
import type { Model } from '@latentkit/models';

const log = (line: string) => process.stderr.write(`${line}\n`);

export function isSmilesModel(model: Model): boolean {
  return (model.config as { kind: string }).kind === 'smilesVae';
}

export async function writeSmilesSamples(
  runDir: string,
  model: Model,
  data: LoadedData,
  n: number,
  rng: Rng,
  options: { out?: string; temperature: number; maxLength?: number },
): Promise<void> {
  const [{ sampleSmiles, moleculeReport, writeMoleculeReport }, { loadChemistry }] = await Promise.all([
    import('@latentkit/molecules'),
    import('@latentkit/chem'),
  ]);
  const smiles = sampleSmiles(model as never, n, rng, { temperature: options.temperature, maxLength: options.maxLength });
  const out = options.out ?? path.join(runDir, 'samples.smi');
  writeFileAtomic(out, `${smiles.join('\n')}\n`);
  log(`wrote ${n} SMILES to ${path.resolve(out)}`);
  const molecules = (data as { molecules?: { train: readonly string[]; test: readonly string[] } }).molecules;
  const chem = await loadChemistry();
  if (!smiles.some((s) => s !== '' && chem.isValidSmiles(s))) {
    log('no sample is a valid molecule: no MOSES metrics or molecule grid (train longer)');
    return;
  }
  // MOSES's strings are already canonical; a user's file may not be.
  const report = moleculeReport(chem, smiles, molecules ?? { train: [], test: [] }, { canonicalizeTrain: data.spec.name !== 'moses' });
  const files = writeMoleculeReport(chem, runDir, smiles, report);
  const m = report.metrics;
  log(
    `valid ${m.valid.toFixed(4)}, unique@1k ${m.unique['1000']?.toFixed(4)}, novelty ${m.novelty?.toFixed(4) ?? '—'}, IntDiv1 ${m.intDiv1.toFixed(4)}; report: ${files.map((f) => path.basename(f)).join(', ')}`,
  );
}
