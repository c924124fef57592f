/**
 * The MOSES benchmark's distribution-free metrics (Polykovskiy et al. 2020; molecularsets/moses,
 * moses/metrics/metrics.py and utils.py), reimplemented on MinimalLib:
 *
 * - valid: share of generated strings RDKit parses; the empty string is invalid (moses.utils.get_mol).
 * - unique@k: distinct canonical SMILES among the first k valid ones, divided by min(k, #valid) (MOSES warns and
 *   uses all when there are fewer than k; so do we, with a warning in the result).
 * - novelty: share of the distinct valid canonical SMILES that are not in the training set. MOSES compares with the
 *   training SMILES as given (its files are RDKit-canonical); `canonicalizeTrain` re-canonicalises them with this
 *   RDKit first, which matters when the files were written by another RDKit version.
 * - IntDiv_p: 1 − mean_i (mean_j T(i,j)^p)^(1/p) over all ordered pairs of valid generated molecules, self pairs and
 *   duplicates included (average_agg_tanimoto(gen, gen, agg='mean')); IntDiv1 is p = 1, IntDiv2 p = 2.
 * - SNN: mean over valid generated molecules of the largest Tanimoto similarity to a reference set.
 *
 * Similarities are Tanimoto on Morgan radius-2, 1024-bit fingerprints; 0/0 (two empty fingerprints) counts as 1.
 */
import { invalidArgument } from '@latentkit/core/base';
import type { Chemistry } from './chemistry.js';
import { type BitIndex, type Fingerprint, type FingerprintMatrix, addCommonBits, bitIndex, fingerprintMatrix } from './fingerprint.js';

/** The valid generated molecules, in generation order (duplicates kept): canonical SMILES and Morgan fingerprints. */
export interface ValidMolecules {
  readonly generated: number;
  readonly canonical: readonly string[];
  /** Morgan radius-2, 1024-bit fingerprints, row i for canonical[i]. */
  readonly fingerprints: FingerprintMatrix;
}

/** Parses each generated SMILES once for its canonical form and fingerprint; invalid ones are dropped. */
export function validMolecules(chem: Chemistry, generated: readonly string[]): ValidMolecules {
  const canonical: string[] = [];
  const fps: Fingerprint[] = [];
  for (const s of generated) {
    const m = chem.canonicalWithFingerprint(s, { radius: 2, nBits: 1024 });
    if (m === null) continue;
    canonical.push(m.canonical);
    fps.push(m.fingerprint);
  }
  return { generated: generated.length, canonical, fingerprints: fingerprintMatrix(fps, 1024) };
}

export function fractionValid(valid: ValidMolecules): number {
  if (valid.generated === 0) throw invalidArgument('generated', 'at least one SMILES', []);
  return valid.canonical.length / valid.generated;
}

/** unique@k over canonical SMILES (all of them when k is undefined or larger than their number). */
export function fractionUnique(canonical: readonly string[], k?: number): number {
  if (k !== undefined && !(Number.isInteger(k) && k > 0)) throw invalidArgument('k', 'a positive integer', k);
  const head = k === undefined ? canonical : canonical.slice(0, k);
  if (head.length === 0) throw invalidArgument('canonical', 'at least one valid molecule', []);
  return new Set(head).size / head.length;
}

/** Share of the distinct canonical SMILES not in `train`. */
export function novelty(canonical: readonly string[], train: ReadonlySet<string>): number {
  const distinct = new Set(canonical);
  if (distinct.size === 0) throw invalidArgument('canonical', 'at least one valid molecule', []);
  let novel = 0;
  for (const s of distinct) if (!train.has(s)) novel++;
  return novel / distinct.size;
}

/**
 * IntDiv1 and IntDiv2 in one pass over the n(n−1)/2 distinct pairs (similarity is symmetric; self pairs add 1 each).
 * Common bits come from an inverted index of the set itself, row by row for the rows after the current one.
 */
export function internalDiversity(fps: FingerprintMatrix): { readonly intDiv1: number; readonly intDiv2: number } {
  const n = fps.count;
  if (n === 0) throw invalidArgument('fps', 'at least one fingerprint', 0);
  const index = bitIndex(fps);
  const counts = new Int32Array(n);
  const sizes = fps.onBitCounts;
  const sum1 = new Float64Array(n).fill(1);
  const sum2 = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    counts.fill(0, i + 1);
    addCommonBits(fps, i, index, counts, i + 1);
    const size = sizes[i] as number;
    let row1 = 0;
    let row2 = 0;
    for (let j = i + 1; j < n; j++) {
      const common = counts[j] as number;
      const union = size + (sizes[j] as number) - common;
      const t = union === 0 ? 1 : common / union;
      row1 += t;
      row2 += t * t;
      sum1[j] = (sum1[j] as number) + t;
      sum2[j] = (sum2[j] as number) + t * t;
    }
    sum1[i] = (sum1[i] as number) + row1;
    sum2[i] = (sum2[i] as number) + row2;
  }
  let mean1 = 0;
  let mean2 = 0;
  for (let i = 0; i < n; i++) {
    mean1 += (sum1[i] as number) / n;
    mean2 += Math.sqrt((sum2[i] as number) / n);
  }
  return { intDiv1: 1 - mean1 / n, intDiv2: 1 - mean2 / n };
}

/** SNN: mean over `generated` of the largest similarity to any fingerprint of `reference`. */
export function nearestNeighbourSimilarity(generated: FingerprintMatrix, reference: FingerprintMatrix | BitIndexedFingerprints): number {
  if (generated.count === 0) throw invalidArgument('generated', 'at least one fingerprint', 0);
  const ref = 'index' in reference ? reference : indexFingerprints(reference);
  const m = ref.fingerprints.count;
  if (m === 0) throw invalidArgument('reference', 'at least one fingerprint', 0);
  if (generated.nBits !== ref.fingerprints.nBits)
    throw invalidArgument('reference', `fingerprints of ${generated.nBits} bits`, `${ref.fingerprints.nBits} bits`);
  const counts = new Int32Array(m);
  const sizes = ref.fingerprints.onBitCounts;
  let total = 0;
  for (let i = 0; i < generated.count; i++) {
    counts.fill(0);
    addCommonBits(generated, i, ref.index, counts);
    const size = generated.onBitCounts[i] as number;
    let best = 0;
    for (let j = 0; j < m; j++) {
      const common = counts[j] as number;
      const union = size + (sizes[j] as number) - common;
      const t = union === 0 ? 1 : common / union;
      if (t > best) best = t;
    }
    total += best;
  }
  return total / generated.count;
}

/** A reference set with its inverted index, to reuse across several SNN computations. */
export interface BitIndexedFingerprints {
  readonly fingerprints: FingerprintMatrix;
  readonly index: BitIndex;
}

export function indexFingerprints(fingerprints: FingerprintMatrix): BitIndexedFingerprints {
  return { fingerprints, index: bitIndex(fingerprints) };
}

/** Morgan radius-2 1024-bit fingerprints of SMILES that are known to be valid (e.g. canonical ones). */
export function mosesFingerprints(chem: Chemistry, smiles: readonly string[]): FingerprintMatrix {
  const fps: Fingerprint[] = smiles.map((s, i) => {
    const fp = chem.morganFingerprint(s, { radius: 2, nBits: 1024 });
    if (fp === null) throw invalidArgument(`smiles[${i}]`, 'a valid SMILES', s);
    return fp;
  });
  return fingerprintMatrix(fps, 1024);
}

export interface MosesMetricsOptions {
  /** unique@k for each k; default [1000, 10000] as MOSES. */
  readonly ks?: readonly number[];
  /** Training SMILES for novelty; novelty is left out without them. */
  readonly train?: Iterable<string>;
  /** Canonicalise `train` with this RDKit before comparing (default false: as given, like MOSES). */
  readonly canonicalizeTrain?: boolean;
  /** Reference set for SNN (MOSES: its test set), as valid SMILES or precomputed (indexed) fingerprints; SNN is left out without it. */
  readonly reference?: readonly string[] | FingerprintMatrix | BitIndexedFingerprints;
}

export interface MosesMetrics {
  readonly generated: number;
  readonly validCount: number;
  readonly valid: number;
  /** unique@k by k. */
  readonly unique: Readonly<Record<string, number>>;
  readonly novelty?: number;
  readonly intDiv1: number;
  readonly intDiv2: number;
  readonly snn?: number;
  /** Why a value is not what its name promises (e.g. unique@10000 computed over fewer molecules). */
  readonly warnings: readonly string[];
}

/**
 * All the metrics above for one generated sample. Throws INVALID_ARGUMENT when no generated SMILES is valid (MOSES
 * has no value for the other metrics then; validity alone is `fractionValid(validMolecules(...))`).
 */
export function mosesMetrics(chem: Chemistry, generated: readonly string[], options: MosesMetricsOptions = {}): MosesMetrics {
  const ks = options.ks ?? [1000, 10000];
  const valid = validMolecules(chem, generated);
  if (valid.canonical.length === 0)
    throw invalidArgument('generated', 'at least one valid SMILES (MOSES metrics other than validity need one)', `${generated.length} strings, none valid`);
  const warnings: string[] = [];
  const unique: Record<string, number> = {};
  for (const k of ks) {
    if (valid.canonical.length < k) warnings.push(`unique@${k}: only ${valid.canonical.length} valid molecules, computed over all of them`);
    unique[String(k)] = fractionUnique(valid.canonical, k);
  }
  let noveltyValue: number | undefined;
  if (options.train !== undefined) {
    const train = new Set<string>();
    for (const s of options.train) {
      const c = options.canonicalizeTrain ? chem.canonicalSmiles(s) : s;
      if (c !== null) train.add(c);
    }
    noveltyValue = novelty(valid.canonical, train);
  }
  const fps = valid.fingerprints;
  const { intDiv1, intDiv2 } = internalDiversity(fps);
  let snn: number | undefined;
  if (options.reference !== undefined) {
    const ref = Array.isArray(options.reference)
      ? mosesFingerprints(chem, options.reference as readonly string[])
      : (options.reference as FingerprintMatrix | BitIndexedFingerprints);
    snn = nearestNeighbourSimilarity(fps, ref);
  }
  return {
    generated: generated.length,
    validCount: valid.canonical.length,
    valid: fractionValid(valid),
    unique,
    ...(noveltyValue !== undefined && { novelty: noveltyValue }),
    intDiv1,
    intDiv2,
    ...(snn !== undefined && { snn }),
    warnings,
  };
}
