/**
 * Plain text, one sentence or document per line, tokens separated by whitespace: as a sequence corpus (for text
 * VAEs) or as bags of words (for topic-style models), with the vocabulary built from the training split only.
 */
import { check } from '@latentkit/core/base';
import { BowCorpus } from '../bow/corpus.js';
import type { BowVocabulary } from '../bow/nvdm.js';
import { type TextDataset, loadTextDataset, readTextSplits } from '../datasets.js';
import type { ReadTextOptions, TokenizedText } from './corpus.js';
import { SPECIAL_TOKENS, UNK } from './vocabulary.js';

export interface LineFiles {
  readonly train: string;
  readonly valid?: string;
  readonly test?: string;
}

export interface LineVocabularyOptions {
  /** Most words kept, by decreasing training count (ties in code-point order); the reserved tokens are extra. Default all. */
  readonly vocabSize?: number;
  /** Words seen fewer times than this in the training split are left out. Default 1. */
  readonly minCount?: number;
}

export interface LineTextOptions extends ReadTextOptions, LineVocabularyOptions {}

function checkVocabOptions(options: LineVocabularyOptions): void {
  if (options.vocabSize !== undefined)
    check(Number.isInteger(options.vocabSize) && options.vocabSize >= 1, 'vocabSize', 'a positive integer', options.vocabSize);
  if (options.minCount !== undefined) check(Number.isInteger(options.minCount) && options.minCount >= 1, 'minCount', 'a positive integer', options.minCount);
}

/** Text files of one sentence per line as TextCorpora; words outside the training vocabulary become `<unk>`. */
export async function loadLineText(files: LineFiles, options: LineTextOptions = {}): Promise<TextDataset> {
  checkVocabOptions(options);
  const { vocabSize, minCount, ...read } = options;
  return loadTextDataset(files, {
    ...read,
    ...(vocabSize !== undefined && { maxSize: vocabSize + SPECIAL_TOKENS.length }),
    ...(minCount !== undefined && { minCount }),
  });
}

/** A bag-of-words vocabulary from tokenized training documents (`<unk>` in the text is not a word). */
export function bowVocabulary(text: TokenizedText, options: LineVocabularyOptions = {}): BowVocabulary {
  checkVocabOptions(options);
  const counts = new Map<string, number>();
  for (const doc of text.sentences) for (const w of doc) if (w !== UNK) counts.set(w, (counts.get(w) ?? 0) + 1);
  const minCount = options.minCount ?? 1;
  const words = [...counts.keys()]
    .filter((w) => (counts.get(w) as number) >= minCount)
    .sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, options.vocabSize);
  return { file: text.file, words, counts: Int32Array.from(words, (w) => counts.get(w) as number) };
}

/**
 * Bags of words of tokenized documents against a vocabulary; words outside it are dropped (a bag-of-words model
 * has no unknown word), and counted in `droppedTokens`. Labels are the first-token labels when read, else 0.
 */
export function bowFromText(text: TokenizedText, vocabulary: BowVocabulary): { corpus: BowCorpus; droppedTokens: number } {
  const index = new Map(vocabulary.words.map((w, i) => [w, i]));
  const offsets = new Int32Array(text.sentences.length + 1);
  const ids: number[] = [];
  const counts: number[] = [];
  let dropped = 0;
  text.sentences.forEach((doc, d) => {
    const bag = new Map<number, number>();
    for (const w of doc) {
      const id = index.get(w);
      if (id === undefined) dropped++;
      else bag.set(id, (bag.get(id) ?? 0) + 1);
    }
    for (const id of [...bag.keys()].sort((a, b) => a - b)) {
      ids.push(id);
      counts.push(bag.get(id) as number);
    }
    offsets[d + 1] = ids.length;
  });
  const labels = text.labels ?? new Int32Array(text.sentences.length);
  return { corpus: new BowCorpus(vocabulary.words.length, labels, offsets, Int32Array.from(ids), Int32Array.from(counts)), droppedTokens: dropped };
}

export interface LineBowDataset {
  readonly vocabulary: BowVocabulary;
  readonly train: BowCorpus;
  readonly valid?: BowCorpus;
  readonly test?: BowCorpus;
}

/** Text files of one document per line as bag-of-words corpora, the vocabulary from `train`. */
export async function loadLineBow(files: LineFiles, options: LineTextOptions = {}): Promise<LineBowDataset> {
  const [train, valid, test] = await readTextSplits(files, options);
  const vocabulary = bowVocabulary(train, options);
  const bow = (t: TokenizedText | undefined) => (t === undefined ? undefined : bowFromText(t, vocabulary).corpus);
  const [v, te] = [bow(valid), bow(test)];
  return { vocabulary, train: bowFromText(train, vocabulary).corpus, ...(v && { valid: v }), ...(te && { test: te }) };
}
