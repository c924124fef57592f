/**
 * A word vocabulary for tokenized text: four reserved tokens, then the words of a training corpus by decreasing
 * frequency. It serialises to plain JSON so a trained model can ship with the exact ids it was trained on.
 */
import { check, invalidArgument } from '@latentkit/core/base';

export const PAD = '<pad>';
export const UNK = '<unk>';
export const BOS = '<bos>';
export const EOS = '<eos>';

/** The reserved tokens, at ids 0..3: `<pad>` is 0 so that zero-filled buffers are padding. */
export const SPECIAL_TOKENS = [PAD, UNK, BOS, EOS] as const;

export const VOCABULARY_FORMAT = 'latentkit-vocabulary';

/** The JSON form of a vocabulary: `tokens[id]` for every id, the reserved tokens first. */
export interface VocabularyJSON {
  readonly format: typeof VOCABULARY_FORMAT;
  readonly version: 1;
  readonly tokens: readonly string[];
}

export interface VocabularyOptions {
  /** Largest number of ids, the four reserved tokens included; the most frequent words are kept. Default: all words. */
  readonly maxSize?: number;
  /** Keep only words seen at least this many times (default 1: all). */
  readonly minCount?: number;
}

export class Vocabulary {
  static readonly padId = 0;
  static readonly unkId = 1;
  static readonly bosId = 2;
  static readonly eosId = 3;

  /** Token of each id. */
  readonly tokens: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  private constructor(tokens: readonly string[]) {
    this.tokens = tokens;
    this.ids = new Map(tokens.map((t, i) => [t, i]));
  }

  /**
   * Builds a vocabulary from tokenized sentences. Words are ranked by count, ties by code-point order, so the result
   * does not depend on the order of the sentences. `<unk>` in the text is the unknown token, not a word.
   */
  static fromSentences(sentences: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
    const { maxSize, minCount = 1 } = options;
    check(Number.isInteger(minCount) && minCount >= 1, 'minCount', 'a positive integer', minCount);
    if (maxSize !== undefined) {
      check(Number.isInteger(maxSize) && maxSize >= SPECIAL_TOKENS.length, 'maxSize', 'an integer ≥ 4 (the reserved tokens)', maxSize);
    }
    const counts = new Map<string, number>();
    for (const sentence of sentences) {
      for (const word of sentence) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    for (const special of SPECIAL_TOKENS) counts.delete(special);
    if (minCount > 1) for (const [word, n] of counts) if (n < minCount) counts.delete(word);
    const words = [...counts.keys()].sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number) || (a < b ? -1 : a > b ? 1 : 0));
    const kept = maxSize === undefined ? words : words.slice(0, maxSize - SPECIAL_TOKENS.length);
    return new Vocabulary([...SPECIAL_TOKENS, ...kept]);
  }

  static fromJSON(json: unknown): Vocabulary {
    const j = json as Partial<VocabularyJSON> | null;
    if (j?.format !== VOCABULARY_FORMAT || j.version !== 1 || !Array.isArray(j.tokens)) {
      throw invalidArgument('json', `a vocabulary object {format: "${VOCABULARY_FORMAT}", version: 1, tokens: [...]}`, json);
    }
    const tokens = j.tokens;
    SPECIAL_TOKENS.forEach((special, id) => {
      if (tokens[id] !== special) throw invalidArgument(`json.tokens[${id}]`, `the reserved token "${special}"`, tokens[id]);
    });
    const seen = new Set<string>();
    tokens.forEach((t, id) => {
      if (typeof t !== 'string' || t === '' || /\s/.test(t)) throw invalidArgument(`json.tokens[${id}]`, 'a non-empty token without whitespace', t);
      if (seen.has(t)) throw invalidArgument(`json.tokens[${id}]`, 'a token that appears only once', t);
      seen.add(t);
    });
    return new Vocabulary([...tokens]);
  }

  toJSON(): VocabularyJSON {
    return { format: VOCABULARY_FORMAT, version: 1, tokens: [...this.tokens] };
  }

  /** Number of ids, the reserved tokens included. */
  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The id of a token; words outside the vocabulary get `<unk>`'s id. */
  id(token: string): number {
    return this.ids.get(token) ?? Vocabulary.unkId;
  }

  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined || !Number.isInteger(id)) throw invalidArgument('id', `an integer in [0, ${this.size})`, id);
    return t;
  }

  /** Ids of a sentence's words, optionally framed by `<bos>` and `<eos>`. */
  encode(words: readonly string[], options: { readonly bos?: boolean; readonly eos?: boolean } = {}): Int32Array {
    const start = options.bos ? 1 : 0;
    const out = new Int32Array(start + words.length + (options.eos ? 1 : 0));
    if (options.bos) out[0] = Vocabulary.bosId;
    words.forEach((w, i) => {
      out[start + i] = this.id(w);
    });
    if (options.eos) out[out.length - 1] = Vocabulary.eosId;
    return out;
  }

  /** The words of an id sequence as a model emits it: `<bos>` and `<pad>` are dropped, and `<eos>` ends the sentence. */
  decode(ids: ArrayLike<number>): string[] {
    const words: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id === Vocabulary.eosId) break;
      if (id !== Vocabulary.padId && id !== Vocabulary.bosId) words.push(this.token(id));
    }
    return words;
  }
}

/** True for the tokens a corpus may not contain as words (`<unk>` may appear: it is the unknown word). */
export function isReservedWord(word: string): boolean {
  return word === PAD || word === BOS || word === EOS;
}
