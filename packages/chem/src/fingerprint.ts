/**
 * Bit-set fingerprints and Tanimoto similarity. A fingerprint is a Uint32Array of words (bit i is bit i % 32 of word
 * ⌊i / 32⌋), so similarity is AND + popcount over 32 words for 1024 bits, with no allocation per pair.
 */
import { check, invalidArgument } from '@latentkit/core/base';

export interface Fingerprint {
  readonly nBits: number;
  readonly words: Uint32Array;
  /** Number of set bits. */
  readonly onBitCount: number;
}

/** Set bits of one 32-bit word (SWAR). */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

/** A fingerprint from its words (length nBits / 32). */
export function fingerprintFromWords(words: Uint32Array, nBits = words.length * 32): Fingerprint {
  check(nBits === words.length * 32, 'nBits', `${words.length * 32} (32 × the number of words)`, nBits);
  let count = 0;
  for (let i = 0; i < words.length; i++) count += popcount32(words[i] as number);
  return { nBits, words, onBitCount: count };
}

/** A fingerprint with the given bits set. */
export function fingerprintFromOnBits(onBits: Iterable<number>, nBits: number): Fingerprint {
  check(Number.isInteger(nBits) && nBits > 0 && nBits % 32 === 0, 'nBits', 'a positive multiple of 32', nBits);
  const words = new Uint32Array(nBits / 32);
  for (const b of onBits) {
    if (!Number.isInteger(b) || b < 0 || b >= nBits) throw invalidArgument('onBits', `integers in [0, ${nBits})`, b);
    words[b >>> 5] = (words[b >>> 5] as number) | (1 << (b & 31));
  }
  return fingerprintFromWords(words, nBits);
}

/** The indices of the set bits, ascending. */
export function onBits(fp: Fingerprint): number[] {
  const out: number[] = [];
  for (let w = 0; w < fp.words.length; w++) {
    let x = fp.words[w] as number;
    while (x !== 0) {
      const low = x & -x;
      out.push(w * 32 + (31 - Math.clz32(low)));
      x ^= low;
    }
  }
  return out;
}

/**
 * Tanimoto (Jaccard) similarity |a ∧ b| / |a ∨ b|. Two empty fingerprints have similarity 1, as in MOSES
 * (`average_agg_tanimoto` replaces the 0/0 by 1).
 */
export function tanimoto(a: Fingerprint, b: Fingerprint): number {
  if (a.nBits !== b.nBits) throw invalidArgument('b', `a fingerprint of ${a.nBits} bits like a`, `${b.nBits} bits`);
  let common = 0;
  for (let i = 0; i < a.words.length; i++) common += popcount32((a.words[i] as number) & (b.words[i] as number));
  const union = a.onBitCount + b.onBitCount - common;
  return union === 0 ? 1 : common / union;
}

/** Many fingerprints of one size in one flat array: row i is words[i·wordsPer .. (i+1)·wordsPer). */
export interface FingerprintMatrix {
  readonly count: number;
  readonly nBits: number;
  readonly wordsPer: number;
  readonly words: Uint32Array;
  readonly onBitCounts: Int32Array;
}

export function fingerprintMatrix(fps: readonly Fingerprint[], nBits = fps[0]?.nBits ?? 1024): FingerprintMatrix {
  const wordsPer = nBits / 32;
  const words = new Uint32Array(fps.length * wordsPer);
  const onBitCounts = new Int32Array(fps.length);
  fps.forEach((fp, i) => {
    if (fp.nBits !== nBits) throw invalidArgument(`fps[${i}]`, `a fingerprint of ${nBits} bits`, `${fp.nBits} bits`);
    words.set(fp.words, i * wordsPer);
    onBitCounts[i] = fp.onBitCount;
  });
  return { count: fps.length, nBits, wordsPer, words, onBitCounts };
}

/**
 * |row i of a ∧ row j of b|. The SWAR steps are applied per word only down to byte counts (≤ 8 per byte), which are
 * summed over up to 31 words (≤ 248 per byte, no carry between bytes) before the four bytes are added up once.
 */
export function commonBits(a: Uint32Array, i: number, b: Uint32Array, j: number, wordsPer: number): number {
  let total = 0;
  let acc = 0;
  let pending = 0;
  const ai = i * wordsPer;
  const bj = j * wordsPer;
  for (let w = 0; w < wordsPer; w++) {
    let v = (a[ai + w] as number) & (b[bj + w] as number);
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    acc = (acc + ((v + (v >>> 4)) & 0x0f0f0f0f)) | 0;
    if (++pending === 31) {
      total += byteSum(acc);
      acc = 0;
      pending = 0;
    }
  }
  return total + byteSum(acc);
}

function byteSum(x: number): number {
  const pairs = (x & 0x00ff00ff) + ((x >>> 8) & 0x00ff00ff);
  return (pairs & 0xffff) + (pairs >>> 16);
}

/**
 * An inverted index of a fingerprint matrix: for each bit, the rows that set it, ascending. Morgan fingerprints set
 * a few dozen of 1024 bits, so counting common bits through the rows sharing each set bit of a query does much less
 * work than AND + popcount over all words of every pair.
 */
export interface BitIndex {
  readonly nBits: number;
  readonly count: number;
  /** Rows setting bit b are members[offsets[b] .. offsets[b+1]). */
  readonly offsets: Int32Array;
  readonly members: Int32Array;
}

/** Calls fn(bit) for each set bit of row `row`, ascending. */
function forEachBit(m: FingerprintMatrix, row: number, fn: (bit: number) => void): void {
  const start = row * m.wordsPer;
  for (let w = 0; w < m.wordsPer; w++) {
    let x = m.words[start + w] as number;
    while (x !== 0) {
      const low = x & -x;
      fn(w * 32 + (31 - Math.clz32(low)));
      x ^= low;
    }
  }
}

export function bitIndex(m: FingerprintMatrix): BitIndex {
  const offsets = new Int32Array(m.nBits + 1);
  for (let r = 0; r < m.count; r++) {
    forEachBit(m, r, (b) => {
      offsets[b + 1] = (offsets[b + 1] as number) + 1;
    });
  }
  for (let b = 0; b < m.nBits; b++) offsets[b + 1] = (offsets[b + 1] as number) + (offsets[b] as number);
  const members = new Int32Array(offsets[m.nBits] as number);
  const fill = offsets.slice(0, m.nBits);
  for (let r = 0; r < m.count; r++) {
    forEachBit(m, r, (b) => {
      members[fill[b] as number] = r;
      fill[b] = (fill[b] as number) + 1;
    });
  }
  return { nBits: m.nBits, count: m.count, offsets, members };
}

/**
 * Adds |row `row` of `query` ∧ row j of the indexed matrix| to counts[j] for every indexed row j ≥ `from` (counts must
 * start at zero for the rows of interest).
 */
export function addCommonBits(query: FingerprintMatrix, row: number, index: BitIndex, counts: Int32Array, from = 0): void {
  if (query.nBits !== index.nBits) throw invalidArgument('index', `an index of ${query.nBits}-bit fingerprints`, `${index.nBits} bits`);
  const { offsets, members } = index;
  forEachBit(query, row, (b) => {
    let k = offsets[b] as number;
    const end = offsets[b + 1] as number;
    if (from > 0) {
      // First member ≥ from, by binary search: member lists are ascending.
      let hi = end;
      while (k < hi) {
        const mid = (k + hi) >>> 1;
        if ((members[mid] as number) < from) k = mid + 1;
        else hi = mid;
      }
    }
    for (; k < end; k++) {
      const j = members[k] as number;
      counts[j] = (counts[j] as number) + 1;
    }
  });
}
