// MOSES metrics of a seeded 10,000 held out of MOSES test.csv.gz against the other 166,074 as the training set, with
// the time of each step. Held-out molecules are real MOSES molecules, so the expected figures are: valid 1.0,
// unique@1k/@10k 1.0, novelty 1.0 (the file has no duplicates), IntDiv1 ≈ 0.857 (MOSES's test-set value is 0.857).
// SNN is measured against a second seeded 10,000 of the training part (MOSES uses its test set as reference; here the
// test set is the corpus), so that it is the same 10k × 10k size as IntDiv.
// Also: per-molecule cost of descriptors + QED, and of seeded randomised SMILES, on 1,000 held-out molecules.
// Usage: pnpm --filter @latentkit/chem bench   [-- --seed 1 --held-out 10000 --snn-reference 10000 --validate-corpus]
//   --validate-corpus also times RDKit validation of all 176,074 corpus SMILES (minutes on a busy machine).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '@latentkit/core/base';
import {
  fractionUnique,
  fractionValid,
  holdOut,
  indexFingerprints,
  internalDiversity,
  loadChemistry,
  loadMosesSmiles,
  mosesFingerprints,
  nearestNeighbourSimilarity,
  novelty,
  validMolecules,
} from '../dist/index.js';

const argv = process.argv.slice(2);
if (argv[0] === '--') argv.shift(); // `pnpm … bench -- --seed 2` passes the separator through
const { values: args } = parseArgs({
  args: argv,
  options: {
    seed: { type: 'string', default: '1' },
    'held-out': { type: 'string', default: '10000' },
    'snn-reference': { type: 'string', default: '10000' },
    'validate-corpus': { type: 'boolean', default: false },
  },
});
const dataDir = [process.env.LATENTKIT_DATA_DIR, new URL('../../../../shared/data', import.meta.url).pathname, '/work/shared/data'].find(
  (d) => d && existsSync(join(d, 'moses-smiles', 'test.csv.gz')),
);
if (dataDir === undefined) {
  console.error('moses-metrics bench: no moses-smiles/test.csv.gz (set LATENTKIT_DATA_DIR)');
  process.exit(1);
}

const timings = [];
async function timed(name, fn) {
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  timings.push([name, ms]);
  console.log(`${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(8)} s`);
  return value;
}

const chem = await timed('load MinimalLib (wasm)', () => loadChemistry());
const corpus = await timed('read test.csv.gz (176,074, unchecked)', () => loadMosesSmiles(dataDir, { validate: 'none' }));
const nHeld = Number(args['held-out']);
const split = holdOut(corpus.smiles.length, { heldOut: nHeld, seed: args.seed });
const generated = Array.from(split.heldOut, (i) => corpus.smiles[i]);
const train = Array.from(split.train, (i) => corpus.smiles[i]);
const snnOrder = Rng.fromSeed(`${args.seed}:snn`).permutation(train.length).subarray(0, Number(args['snn-reference']));
const snnReference = Array.from(snnOrder, (i) => train[i]);

const valid = await timed(`validity, canonical SMILES, Morgan (${nHeld})`, () => validMolecules(chem, generated));
const unique1k = await timed('unique@1000', () => fractionUnique(valid.canonical, 1000));
const unique10k = await timed('unique@10000', () => fractionUnique(valid.canonical, 10000));
const trainSet = await timed(`novelty: training set as given (${train.length})`, () => new Set(train));
const nov = await timed('novelty: lookups', () => novelty(valid.canonical, trainSet));
const genFps = valid.fingerprints;
const div = await timed(`IntDiv1 + IntDiv2 (${genFps.count} × ${genFps.count} pairs)`, () => internalDiversity(genFps));
const refFps = await timed(`Morgan fingerprints of SNN reference (${snnReference.length})`, () => mosesFingerprints(chem, snnReference));
const refIndexed = await timed('SNN reference inverted index', () => indexFingerprints(refFps));
const snn = await timed(`SNN (${genFps.count} × ${refFps.count})`, () => nearestNeighbourSimilarity(genFps, refIndexed));

const sameAsFile = valid.canonical.filter((c, i) => c === generated[i]).length;
const sample = generated.slice(0, 1000);
const descriptors = await timed(`descriptors + QED (${sample.length} molecules)`, () => sample.map((s) => chem.descriptors(s)));
const rng = Rng.fromSeed(args.seed);
await timed(`randomised SMILES (${sample.length} molecules)`, () => sample.map((s) => chem.randomSmiles(s, rng)));
let corpusValidity;
if (args['validate-corpus']) {
  const checked = await timed('RDKit validation of the whole corpus', () => loadMosesSmiles(dataDir, { chemistry: chem }));
  corpusValidity = checked.smiles.length / corpus.smiles.length;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log('');
console.log(`RDKit MinimalLib ${chem.rdkitVersion}; seed ${args.seed}; ${nHeld} held out of ${corpus.smiles.length}`);
console.log(`valid        ${fractionValid(valid).toFixed(4)}`);
console.log(`unique@1k    ${unique1k.toFixed(4)}`);
console.log(`unique@10k   ${unique10k.toFixed(4)}`);
console.log(`novelty      ${nov.toFixed(4)}`);
console.log(`IntDiv1      ${div.intDiv1.toFixed(4)}`);
console.log(`IntDiv2      ${div.intDiv2.toFixed(4)}`);
console.log(`SNN          ${snn.toFixed(4)}  (reference: ${refFps.count} other training molecules)`);
console.log(`canonical form unchanged from the file: ${sameAsFile} of ${valid.canonical.length}`);
console.log(
  `held-out means: logP ${mean(descriptors.map((d) => d.logP)).toFixed(3)}, QED ${mean(descriptors.map((d) => d.qed)).toFixed(3)}, MW ${mean(descriptors.map((d) => d.molecularWeight)).toFixed(1)}, TPSA ${mean(descriptors.map((d) => d.tpsa)).toFixed(1)} (first ${sample.length})`,
);
if (corpusValidity !== undefined) console.log(`corpus validity (all ${corpus.smiles.length}): ${corpusValidity.toFixed(6)}`);
const pairs = (genFps.count * (genFps.count - 1)) / 2;
const intDivMs = timings.find(([n]) => n.startsWith('IntDiv'))[1];
const snnMs = timings.find(([n]) => n.startsWith('SNN ('))[1];
console.log(
  `Tanimoto throughput: IntDiv ${(((pairs / intDivMs) * 1000) / 1e6).toFixed(1)} M pairs/s, SNN ${((((genFps.count * refFps.count) / snnMs) * 1000) / 1e6).toFixed(1)} M pairs/s`,
);
