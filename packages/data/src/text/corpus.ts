/**
 * Tokenized text, one sentence per line (the Penn Treebank language-modelling format): reading it, and storing it
 * encoded as one flat id array with sentence offsets, which is all a batch iterator needs.
 */
import { check, invalidArgument, parseError } from '@latentkit/core/base';
import { emitLatentkitWarning, readLines } from '../io.js';
import { type Vocabulary, isReservedWord } from './vocabulary.js';

/** Sentences as read from a file, split on whitespace, with their labels when the lines carry them. */
export interface TokenizedText {
  readonly file: string;
  readonly sentences: readonly (readonly string[])[];
  readonly labels?: Int32Array;
  /** From `readTokenizedText`: the cap on words per sentence it applied (given, or derived from the file). */
  readonly maxLength?: number;
  /** From `readTokenizedText`: sentences that were longer than `maxLength` and cut to it. */
  readonly truncated?: number;
}

export interface ReadTextOptions {
  /** What a blank line is: an error (default; a blank line is usually a broken file) or nothing, skipped. */
  readonly emptyLines?: 'error' | 'skip';
  /** `first-token`: each line is `LABEL w1 … wn` with an integer label (e.g. Yelp ratings). Default `none`. */
  readonly labels?: 'none' | 'first-token';
  /**
   * Words per sentence (label excluded) beyond which a sentence is cut, so that one runaway line (a 20,000-token
   * "sentence") cannot make every batch it lands in that long. Default: `defaultMaxLength` of the file's lengths,
   * which no ordinary corpus reaches; each cut is reported through `onWarning`.
   */
  readonly maxLength?: number;
  /** Told about cut sentences and binary-looking input. Default: `process.emitWarning` (type LatentkitWarning). */
  readonly onWarning?: (message: string) => void;
}

/** The derived cap is at least this (PTB's longest sentence has 82 words)… */
export const MIN_DEFAULT_MAX_LENGTH = 200;
/** …and at most this. */
export const MAX_DEFAULT_MAX_LENGTH = 1000;

/**
 * The default cap on sentence length for a file: four times its 99th-percentile length, kept within
 * [MIN_DEFAULT_MAX_LENGTH, MAX_DEFAULT_MAX_LENGTH]. Far above what the data's own sentences need, far below what
 * a stray unsplit paragraph or binary blob gives.
 */
export function defaultMaxLength(lengths: ArrayLike<number>): number {
  if (lengths.length === 0) return MIN_DEFAULT_MAX_LENGTH;
  const sorted = Float64Array.from(lengths).sort();
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] as number;
  return Math.min(MAX_DEFAULT_MAX_LENGTH, Math.max(MIN_DEFAULT_MAX_LENGTH, 4 * p99));
}

const INTEGER = /^-?\d+$/;

/** Reads a tokenized text file. Rejects an empty file, blank lines (unless skipped) and the reserved tokens as words. */
export async function readTokenizedText(file: string, options: ReadTextOptions = {}): Promise<TokenizedText> {
  const labelled = options.labels === 'first-token';
  if (options.maxLength !== undefined && !(Number.isInteger(options.maxLength) && options.maxLength > 0)) {
    throw invalidArgument('maxLength', 'a positive integer (words per sentence)', options.maxLength);
  }
  const onWarning = options.onWarning ?? emitLatentkitWarning;
  const lines = await readLines(file, { onWarning });
  const sentences: string[][] = [];
  const lineOf: number[] = [];
  const labels: number[] = [];
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '') {
      if (options.emptyLines === 'skip') return;
      throw parseError(file, i + 1, 'a sentence of at least one token', 'a blank line');
    }
    const words = trimmed.split(/\s+/);
    if (labelled) {
      const label = words.shift() as string;
      if (!INTEGER.test(label)) throw parseError(file, i + 1, 'an integer label first', `"${label}"`);
      if (words.length === 0) throw parseError(file, i + 1, 'a sentence of at least one token after the label', 'none');
      labels.push(Number(label));
    }
    const reserved = words.find(isReservedWord);
    if (reserved !== undefined) throw parseError(file, i + 1, 'words other than the reserved <pad>, <bos>, <eos>', `"${reserved}"`);
    sentences.push(words);
    lineOf.push(i + 1);
  });
  if (sentences.length === 0) throw parseError(file, undefined, 'at least one sentence', 'only blank lines');
  const maxLength = options.maxLength ?? defaultMaxLength(sentences.map((s) => s.length));
  let truncated = 0;
  let longest = 0;
  let longestLength = 0;
  sentences.forEach((words, i) => {
    if (words.length <= maxLength) return;
    if (words.length > longestLength) {
      longest = i;
      longestLength = words.length;
    }
    truncated++;
    sentences[i] = words.slice(0, maxLength);
  });
  if (truncated > 0) {
    const where = `${file}:${lineOf[longest]}`;
    const source = options.maxLength === undefined ? 'the default derived from the file (set maxLength / --max-length to change it)' : 'maxLength';
    onWarning(`${file}: cut ${truncated} sentence${truncated === 1 ? '' : 's'} to ${maxLength} words, ${source}; the longest, ${where}, had ${longestLength}`);
  }
  return { file, sentences, ...(labelled && { labels: Int32Array.from(labels) }), maxLength, truncated };
}

/** A corpus encoded with a vocabulary: sentence `i` is `tokens[offsets[i] .. offsets[i+1])`, without `<bos>`/`<eos>`. */
export class TextCorpus {
  readonly tokens: Int32Array;
  readonly offsets: Int32Array;
  /** One label per sentence, when the file had them. */
  readonly labels?: Int32Array;

  constructor(tokens: Int32Array, offsets: Int32Array, labels?: Int32Array) {
    const valid = offsets[0] === 0 && offsets.at(-1) === tokens.length && offsets.every((o, i) => i === 0 || o >= (offsets[i - 1] as number));
    check(valid, 'offsets', 'non-decreasing, from 0 to tokens.length', Array.from(offsets.subarray(0, 8)));
    if (labels !== undefined)
      check(labels.length === offsets.length - 1, 'labels', `one label per sentence (${offsets.length - 1})`, `${labels.length} labels`);
    this.tokens = tokens;
    this.offsets = offsets;
    if (labels !== undefined) this.labels = labels;
  }

  static encode(text: TokenizedText, vocabulary: Vocabulary): TextCorpus {
    const offsets = new Int32Array(text.sentences.length + 1);
    text.sentences.forEach((s, i) => {
      offsets[i + 1] = (offsets[i] as number) + s.length;
    });
    const tokens = new Int32Array(offsets[text.sentences.length] as number);
    let k = 0;
    for (const sentence of text.sentences) for (const word of sentence) tokens[k++] = vocabulary.id(word);
    return new TextCorpus(tokens, offsets, text.labels);
  }

  /** Number of sentences. */
  get size(): number {
    return this.offsets.length - 1;
  }

  /** Words in sentence `i`. */
  length(i: number): number {
    return (this.offsets[i + 1] as number) - (this.offsets[i] as number);
  }

  /** Word lengths of all sentences. */
  lengths(): Int32Array {
    return this.offsets.subarray(1).map((end, i) => end - (this.offsets[i] as number));
  }

  /** The word ids of sentence `i` (a view, not a copy). */
  sentence(i: number): Int32Array {
    return this.tokens.subarray(this.offsets[i], this.offsets[i + 1]);
  }

  /** Number of words; with `eos`, one more per sentence: the token count perplexity is normalised by. */
  tokenCount(options: { readonly eos?: boolean } = {}): number {
    return this.tokens.length + (options.eos ? this.size : 0);
  }

  /** Occurrences of `id` (e.g. `Vocabulary.unkId`). */
  count(id: number): number {
    let n = 0;
    for (const t of this.tokens) if (t === id) n++;
    return n;
  }
}
