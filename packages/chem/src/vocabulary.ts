/**
 * A SMILES token vocabulary: @latentkit/data's Vocabulary (ids 0..3 are <pad>, <unk>, <bos>, <eos>, then tokens by
 * decreasing corpus frequency) over `tokenize`d SMILES, so a SMILES model can use the text model's batching as is.
 * The reserved tokens cannot collide with SMILES tokens: '<' is not a SMILES character.
 */
import { TextCorpus, type Vocabulary as VocabularyType, Vocabulary, type VocabularyJSON, type VocabularyOptions } from '@latentkit/data';
import { detokenize, tokenize } from './tokenizer.js';

/** Recorded in the JSON so a model knows how its SMILES were split. */
export const SMILES_TOKENIZER = 'schwaller-2019-regex';

export interface SmilesVocabularyJSON extends VocabularyJSON {
  readonly tokenizer: typeof SMILES_TOKENIZER;
}

export class SmilesVocabulary {
  static readonly padId = Vocabulary.padId;
  static readonly unkId = Vocabulary.unkId;
  static readonly bosId = Vocabulary.bosId;
  static readonly eosId = Vocabulary.eosId;

  /** The underlying word vocabulary (its JSON is a plain latentkit-vocabulary). */
  readonly vocabulary: VocabularyType;

  constructor(vocabulary: VocabularyType) {
    this.vocabulary = vocabulary;
  }

  /** Builds the vocabulary from a corpus of SMILES (throws INVALID_ARGUMENT on a string `tokenize` cannot split). */
  static fromSmiles(smiles: Iterable<string>, options: VocabularyOptions = {}): SmilesVocabulary {
    function* tokenized(): Generator<string[]> {
      for (const s of smiles) yield tokenize(s);
    }
    return new SmilesVocabulary(Vocabulary.fromSentences(tokenized(), options));
  }

  static fromJSON(json: unknown): SmilesVocabulary {
    return new SmilesVocabulary(Vocabulary.fromJSON(json));
  }

  toJSON(): SmilesVocabularyJSON {
    return { ...this.vocabulary.toJSON(), tokenizer: SMILES_TOKENIZER };
  }

  get size(): number {
    return this.vocabulary.size;
  }

  get tokens(): readonly string[] {
    return this.vocabulary.tokens;
  }

  /** Token ids of a SMILES, optionally framed by <bos> and <eos>; tokens outside the vocabulary become <unk>. */
  encode(smiles: string, options: { readonly bos?: boolean; readonly eos?: boolean } = {}): Int32Array {
    return this.vocabulary.encode(tokenize(smiles), options);
  }

  /**
   * SMILES as a @latentkit/data TextCorpus (one flat id array + offsets, no <bos>/<eos>), ready for `textBatches`.
   * For randomised-SMILES augmentation, encode a fresh `randomSmiles` list each epoch.
   */
  encodeCorpus(smiles: readonly string[]): TextCorpus {
    const encoded = smiles.map((s) => this.encode(s));
    const offsets = new Int32Array(smiles.length + 1);
    encoded.forEach((ids, i) => {
      offsets[i + 1] = (offsets[i] as number) + ids.length;
    });
    const tokens = new Int32Array(offsets[smiles.length] as number);
    encoded.forEach((ids, i) => {
      tokens.set(ids, offsets[i] as number);
    });
    return new TextCorpus(tokens, offsets);
  }

  /** The SMILES of an id sequence as a decoder emits it: <bos> and <pad> dropped, stops at <eos>. */
  decode(ids: ArrayLike<number>): string {
    return detokenize(this.vocabulary.decode(ids));
  }
}
