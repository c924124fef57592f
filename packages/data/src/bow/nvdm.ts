/**
 * Bag-of-words documents in the NVDM format (Miao et al. 2016): `LABEL ID:COUNT ID:COUNT …` per line with 1-based
 * word ids, and a `vocab.new` file of `WORD COUNT` lines whose line k is word id k. Documents are read into a sparse
 * BowCorpus with 0-based ids.
 */
import { parseError } from '@latentkit/core/base';
import { readLines } from '../io.js';
import { BowCorpus } from './corpus.js';

/** The words of a bag-of-words vocabulary, 0-based (`words[id - 1]` for a file id), with their counts in the file. */
export interface BowVocabulary {
  readonly file: string;
  readonly words: readonly string[];
  readonly counts: Int32Array;
}

const UINT = /^\d+$/;

/**
 * Largest word count of a document entry, and of a document's total: 2^24, the last integer float32 holds exactly.
 * Batches carry counts and lengths as float32 (what the model reads), so a larger count would be silently rounded;
 * read into Int32Array, counts past 2^31 wrapped negative. No real corpus comes near either: one is refused.
 */
export const MAX_DOCUMENT_COUNT = 2 ** 24;
/** Largest count in `vocab.new`: it is stored as int32. */
export const MAX_VOCABULARY_COUNT = 2 ** 31 - 1;

/** Reads `vocab.new`: `WORD COUNT` per line (the count is optional, as some releases list only words). */
export async function readBowVocabulary(file: string): Promise<BowVocabulary> {
  const lines = await readLines(file);
  const words: string[] = [];
  const counts = new Int32Array(lines.length);
  const seen = new Map<string, number>();
  lines.forEach((line, i) => {
    const fields = line.trim().split(/\s+/);
    const [word, count] = fields;
    if (word === undefined || word === '' || fields.length > 2) {
      throw parseError(file, i + 1, 'a line "WORD COUNT"', JSON.stringify(line));
    }
    if (count !== undefined && !UINT.test(count)) throw parseError(file, i + 1, 'a non-negative integer count', JSON.stringify(count));
    if (count !== undefined && Number(count) > MAX_VOCABULARY_COUNT) {
      throw parseError(file, i + 1, `a count of at most ${MAX_VOCABULARY_COUNT} (2^31 − 1)`, count);
    }
    const first = seen.get(word);
    if (first !== undefined) throw parseError(file, i + 1, `a word not listed before`, `"${word}" again (first on line ${first})`);
    seen.set(word, i + 1);
    words.push(word);
    counts[i] = count === undefined ? 0 : Number(count);
  });
  return { file, words, counts };
}

/**
 * Reads a `.feat` file against a vocabulary of `vocabSize` words. Every line must have an integer label and at least
 * one `ID:COUNT` pair with 1 ≤ ID ≤ vocabSize, each ID at most once, and COUNT a positive integer; counts and each
 * document's total at most MAX_DOCUMENT_COUNT (2^24), so batches hold them exactly.
 */
export async function readFeat(file: string, vocabSize: number): Promise<BowCorpus> {
  const lines = await readLines(file);
  const labels = new Int32Array(lines.length);
  const offsets = new Int32Array(lines.length + 1);
  const ids: number[] = [];
  const counts: number[] = [];
  const lastSeen = new Int32Array(vocabSize).fill(-1);
  lines.forEach((line, d) => {
    const at = d + 1;
    const fields = line.trim().split(/\s+/);
    const label = fields[0] as string;
    if (!/^-?\d+$/.test(label)) throw parseError(file, at, 'an integer label first', label === '' ? 'an empty line' : `"${label}"`);
    if (fields.length < 2) throw parseError(file, at, 'at least one ID:COUNT pair after the label', 'none');
    labels[d] = Number(label);
    let total = 0;
    for (let f = 1; f < fields.length; f++) {
      const pair = fields[f] as string;
      const colon = pair.indexOf(':');
      const idText = pair.slice(0, colon);
      const countText = pair.slice(colon + 1);
      if (colon < 0 || !UINT.test(idText)) throw parseError(file, at, 'ID:COUNT with an integer ID', `"${pair}"`);
      const id = Number(idText);
      if (id < 1 || id > vocabSize) throw parseError(file, at, `a word ID in 1..${vocabSize} (IDs are 1-based)`, `${id} in "${pair}"`);
      if (!UINT.test(countText) || Number(countText) === 0) throw parseError(file, at, 'ID:COUNT with a positive integer COUNT', `"${pair}"`);
      const count = Number(countText);
      if (count > MAX_DOCUMENT_COUNT) throw parseError(file, at, `a COUNT of at most ${MAX_DOCUMENT_COUNT} (2^24, exact in float32)`, `"${pair}"`);
      total += count;
      if (total > MAX_DOCUMENT_COUNT)
        throw parseError(file, at, `a document of at most ${MAX_DOCUMENT_COUNT} word tokens (2^24, exact in float32)`, `${total} by "${pair}"`);
      if (lastSeen[id - 1] === d) throw parseError(file, at, 'each word ID at most once per document', `ID ${id} twice`);
      lastSeen[id - 1] = d;
      ids.push(id - 1);
      counts.push(count);
    }
    offsets[at] = ids.length;
  });
  return new BowCorpus(vocabSize, labels, offsets, Int32Array.from(ids), Int32Array.from(counts));
}
