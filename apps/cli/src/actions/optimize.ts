import fs from 'node:fs';
import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import { defaultDataDir, loadData } from '@latentkit/data';
import { loadModel } from '@latentkit/models';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { modelDirOf, readRunSpec } from '../run/run-folder.js';
import { isSmilesModel } from '../run/smiles-samples.js';

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  const log = out.log;
  await startEngine(common, log);
  const spec = await readRunSpec(opts.run);
  const [{ PropertyHead, fitPropertyHead, formatOptimizeReport, optimizeMolecules }, { loadChemistry }] = await Promise.all([
    import('@latentkit/molecules'),
    import('@latentkit/chem'),
  ]);
  const model = loadModel(modelDirOf(opts.run));
  try {
    if (!isSmilesModel(model))
      throw new LatentkitError(
        'UNSUPPORTED',
        `optimize: ${opts.run} holds a ${(model.config as { kind: string }).kind} model; molecule design needs a smiles-vae run`,
      );
    const property = opts.property as 'solubility' | 'toxicity';
    const headFile = path.join(opts.run, 'heads', `${property}.json`);
    let head: InstanceType<typeof PropertyHead>;
    if (fs.existsSync(headFile) && !opts.refit) {
      head = PropertyHead.load(headFile);
      log(`${property} head: ${headFile}`);
    } else {
      const dataDir = opts.dataDir ?? spec.data.dir ?? defaultDataDir();
      if (!dataDir)
        throw new LatentkitError(
          'FILE_NOT_FOUND',
          `optimize: the ${property} head is fitted to ${property === 'solubility' ? 'esol-delaney/' : 'tox21/'} in the data folder; give --data-dir or set LATENTKIT_DATA_DIR`,
        );
      const fitted = await fitPropertyHead(model as never, property, path.resolve(dataDir), { seed: common.seed });
      head = fitted.head;
      fs.mkdirSync(path.dirname(headFile), { recursive: true });
      head.save(headFile);
      log(
        `${property} head fitted on frozen codes of ${fitted.molecules} molecules (${fitted.dropped} with tokens outside the vocabulary left out): ${JSON.stringify(head.validation)}; saved to ${headFile}`,
      );
    }
    const data = await loadData(spec.data);
    const chem = await loadChemistry();
    const molecules = (data as { molecules?: { train: readonly string[] } }).molecules;
    // The gradient steps, then one for decoding and scoring the designed and prior molecules.
    const bar = out.bar('optimize: gradient ascent', opts.steps + 1, 'steps');
    const onStep = (step: number) => bar.tick(1, step === opts.steps ? 'optimize: decoding' : undefined);
    let result: ReturnType<typeof optimizeMolecules>;
    try {
      result = optimizeMolecules(
        chem,
        model as never,
        { [property]: head },
        {
          property,
          n: opts.n,
          steps: opts.steps,
          trustRadius: opts.trustRadius,
          learningRate: opts.learningRate,
          seed: common.seed,
          ...(molecules && { train: molecules.train }),
          onStep,
        },
      );
      bar.tick();
    } finally {
      bar.stop();
    }
    head.dispose();
    const file = opts.out ?? path.join(opts.run, `designed-${property}.smi`);
    writeFileAtomic(file, `${result.designed.join('\n')}\n`);
    const report = formatOptimizeReport(result);
    writeFileAtomic(path.join(opts.run, `design-${property}.md`), `${report}\n`);
    writeFileAtomic(
      path.join(opts.run, `design-${property}.json`),
      `${JSON.stringify({ property, summary: result.summary, steps: result.steps, trustRadius: result.trustRadius }, null, 2)}\n`,
    );
    log(`wrote ${result.designed.length} designed SMILES to ${path.resolve(file)}`);
    out.result(
      {
        property,
        file: path.resolve(file),
        files: [path.resolve(file), ...['md', 'json'].map((ext) => path.resolve(opts.run, `design-${property}.${ext}`))],
        designed: result.designed,
        summary: result.summary,
      },
      () => report,
    );
  } finally {
    model.dispose();
  }
}
