/**
 * SMILES molecules as `LoadedData`: token sequences over a SMILES vocabulary, seeded train / valid / test splits,
 * and optional randomised-SMILES augmentation whose spelling of each molecule depends only on (seed, epoch), so a
 * resumed run replays exactly the batches it would have seen.
 */
import { type Chemistry, type SmilesTable, SmilesVocabulary, holdOut, readSmilesFile } from '@latentkit/chem';
import { LatentkitError, Rng } from '@latentkit/core';
import {
  type DataSpec,
  type EpochSource,
  type LabelledBatch,
  type LoadedData,
  type TextBatch,
  TextCorpus,
  bucketedPlan,
  shuffled,
  splitTrainValid,
  textBatches,
} from '@latentkit/data';

/** The molecules behind each split, as SMILES strings (for novelty, SNN and property baselines). */
export interface MoleculeSplits {
  readonly train: readonly string[];
  readonly valid: readonly string[];
  readonly test: readonly string[];
}

export interface SmilesLoadedData extends LoadedData<TextBatch> {
  readonly molecules: MoleculeSplits;
  readonly vocabulary: SmilesVocabulary;
  /** What reading the file dropped: count and 1-based lines of SMILES RDKit cannot parse. */
  readonly skipped: { readonly count: number; readonly lines: readonly number[] };
  /** One line for the log, e.g. "mols.smi: skipped 1 of 3 SMILES that RDKit cannot parse (line 2)". */
  readonly summary?: string;
}

export interface SmilesDataOptions {
  /** Molecules held out for testing: a count (MOSES: 10,000); default `spec.testFraction` of them. */
  readonly heldOut?: number;
  /** Randomised SMILES each epoch (needs `chemistry`). */
  readonly augment?: boolean;
  readonly chemistry?: Chemistry;
  readonly skipped?: { readonly count: number; readonly lines: readonly number[] };
  readonly summary?: string;
  /** A class label per molecule (a CSV's label column, `moleculeClasses`): the batches carry them, for a conditional VAE and the probes. */
  readonly labels?: Int32Array;
  /** The classes' names, when the column held names rather than class numbers. */
  readonly labelNames?: readonly string[];
  /** The classes of a new file's molecules (`readInput`), when it has the label column. */
  readonly inputLabels?: (table: SmilesTable) => Int32Array | undefined;
}

function pick(smiles: readonly string[], indices: ArrayLike<number>): string[] {
  return Array.from(indices, (i) => smiles[i] as string);
}

/** Indices of each split: `heldOut` (or testFraction) for test first, then validFraction of the rest, then `limit`. */
export function splitIndices(n: number, spec: DataSpec, heldOut?: number): { train: Int32Array; valid: Int32Array; test: Int32Array } {
  const testCount = heldOut ?? Math.round(n * spec.testFraction);
  if (testCount >= n)
    throw new LatentkitError('INVALID_CONFIG', `data.options.heldOut: expected fewer than the ${n} molecules, got ${testCount}`, {
      path: 'data.options.heldOut',
    });
  const split =
    testCount > 0
      ? holdOut(n, { heldOut: testCount, seed: `${spec.seed}:test` })
      : { train: Int32Array.from({ length: n }, (_, i) => i), heldOut: new Int32Array(0) };
  const rest = split.train;
  const inner =
    spec.validFraction > 0 && rest.length > 1
      ? splitTrainValid(rest.length, { validFraction: spec.validFraction, seed: `${spec.seed}:valid` })
      : { train: Int32Array.from(rest.keys()), valid: new Int32Array(0) };
  let train: Int32Array = inner.train.map((i) => rest[i] as number);
  if (spec.limit !== undefined && spec.limit < train.length) train = shuffled(train, `${spec.seed}:limit`).subarray(0, spec.limit).sort();
  return { train, valid: inner.valid.map((i) => rest[i] as number), test: split.heldOut };
}

/** The molecules at each split's indices. */
function pickSplits(smiles: readonly string[], at: ReturnType<typeof splitIndices>): MoleculeSplits {
  return { train: pick(smiles, at.train), valid: pick(smiles, at.valid), test: pick(smiles, at.test) };
}

/** The seeded splits of `splitIndices`, as SMILES strings. */
export function splitMolecules(smiles: readonly string[], spec: DataSpec, heldOut?: number): MoleculeSplits {
  return pickSplits(smiles, splitIndices(smiles.length, spec, heldOut));
}

/** Each training molecule spelt from a random atom order drawn from (seed, epoch); a molecule RDKit cannot renumber keeps its spelling. */
export function augmentedSmiles(chem: Chemistry, smiles: readonly string[], seed: number | string, epoch: number): string[] {
  const rng = Rng.fromSeed(`latentkit-smiles-augment:${seed}:${epoch}`);
  return smiles.map((s) => chem.randomSmiles(s, rng) ?? s);
}

function labelled(batches: Iterable<TextBatch>): Iterable<LabelledBatch<TextBatch>> {
  return (function* () {
    for (const batch of batches) {
      const labels = (batch as { labels?: ArrayLike<number> }).labels;
      yield labels ? { batch, labels } : { batch };
    }
  })();
}

/** A corpus of `smiles` whose sentences carry `labels` (taken at `indices`) when there are labels. */
function labelledCorpus(corpus: TextCorpus, labels: Int32Array | undefined, indices: Int32Array): TextCorpus {
  return labels
    ? new TextCorpus(
        corpus.tokens,
        corpus.offsets,
        indices.map((i) => labels[i] as number),
      )
    : corpus;
}

export function smilesData(spec: DataSpec, smiles: readonly string[], options: SmilesDataOptions = {}): SmilesLoadedData {
  if (options.labels && options.labels.length !== smiles.length)
    throw new LatentkitError('INVALID_ARGUMENT', `smilesData: expected a label per molecule (${smiles.length}), got ${options.labels.length}`);
  const at = splitIndices(smiles.length, spec, options.heldOut);
  const molecules = pickSplits(smiles, at);
  const { labels } = options;
  if (molecules.train.length === 0)
    throw new LatentkitError(
      'INVALID_CONFIG',
      `data: no training molecules left after holding out ${molecules.test.length} and validating on ${molecules.valid.length}`,
    );
  const vocabulary = SmilesVocabulary.fromSmiles([...molecules.train, ...molecules.valid, ...molecules.test]);
  const corpora = {
    train: labelledCorpus(vocabulary.encodeCorpus(molecules.train), labels, at.train),
    valid: labelledCorpus(vocabulary.encodeCorpus(molecules.valid), labels, at.valid),
    test: labelledCorpus(vocabulary.encodeCorpus(molecules.test), labels, at.test),
  };
  const ordered = (corpus: TextCorpus, batchSize: number) => textBatches(corpus, { batchSize, shuffle: false });
  const chem = options.chemistry;
  if (options.augment && !chem) throw new LatentkitError('INVALID_ARGUMENT', 'smilesData: augmentation needs a Chemistry (loadChemistry())');
  const trainData = (batchSize: number, seed: number | string): EpochSource<TextBatch> => {
    if (!options.augment || !chem)
      return {
        batchesPerEpoch: bucketedPlan(corpora.train, { batchSize, seed, epoch: 0 }).length,
        batches: (epoch, offset) => textBatches(corpora.train, { batchSize, seed, epoch, offset }),
      };
    // One epoch's spellings are kept while its batches are read; the batch count does not depend on the spelling.
    let cached: { epoch: number; corpus: TextCorpus } | undefined;
    const corpusOf = (epoch: number) => {
      if (cached?.epoch !== epoch)
        cached = { epoch, corpus: labelledCorpus(vocabulary.encodeCorpus(augmentedSmiles(chem, molecules.train, seed, epoch)), labels, at.train) };
      return cached.corpus;
    };
    return {
      batchesPerEpoch: bucketedPlan(corpora.train, { batchSize, seed, epoch: 0 }).length,
      batches: (epoch, offset) => textBatches(corpusOf(epoch), { batchSize, seed, epoch, offset }),
    };
  };
  const tokens = vocabulary.tokens;
  return {
    spec,
    suggestedModel: 'smilesVae',
    shape: {
      kind: 'tokens',
      vocabulary: Array.from({ length: vocabulary.size }, (_, i) => tokens[i] as string),
      specialTokens: { pad: SmilesVocabulary.padId, unk: SmilesVocabulary.unkId, bos: SmilesVocabulary.bosId, eos: SmilesVocabulary.eosId },
    },
    counts: { train: molecules.train.length, valid: molecules.valid.length, test: molecules.test.length },
    ...(options.labelNames && { labelNames: options.labelNames }),
    trainData,
    valid: (batchSize) => () => ordered(corpora.valid, batchSize),
    labelled: (which, batchSize) => labelled(ordered(which === 'train' ? corpora.train : corpora.test, batchSize)),
    preview: (n) => {
      const source = corpora.test.size > 0 ? corpora.test : corpora.train;
      for (const batch of textBatches(source, { batchSize: n, seed: `${spec.seed}:preview` })) return { batch };
      throw new LatentkitError('INVALID_ARGUMENT', `the test split of ${spec.name} is empty`);
    },
    // New molecules: RDKit-valid SMILES only, as in training; a token the vocabulary lacks becomes <unk>.
    readInput: async (file, batchSize) => {
      const table = await readSmilesFile(file, { format: /\.(csv|tsv)(\.gz)?$/i.test(file) ? 'csv' : 'smi', ...(chem && { chemistry: chem }) });
      const classes = options.inputLabels?.(table);
      const corpus = vocabulary.encodeCorpus(table.smiles);
      return labelled(ordered(classes ? new TextCorpus(corpus.tokens, corpus.offsets, classes) : corpus, batchSize));
    },
    molecules,
    vocabulary,
    skipped: options.skipped ?? { count: 0, lines: [] },
    ...(options.summary !== undefined && { summary: options.summary }),
  };
}
