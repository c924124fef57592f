import { describe, expect, it } from 'vitest';
import { Vocabulary, textBatches } from '@latentkit/data';
import { SMILES_TOKENIZER, SmilesVocabulary, detokenize, tokenize } from '../src/index.js';
import { reference } from './helpers.js';

describe('tokenize', () => {
  it('keeps bracket atoms, Cl, Br and two-digit ring closures whole', () => {
    expect(tokenize('C[C@@H](Cl)c1ccc(Br)cc1')).toEqual(['C', '[C@@H]', '(', 'Cl', ')', 'c', '1', 'c', 'c', 'c', '(', 'Br', ')', 'c', 'c', '1']);
    expect(tokenize('c1cc[nH]c1')).toEqual(['c', '1', 'c', 'c', '[nH]', 'c', '1']);
    expect(tokenize('C%10CC%10')).toEqual(['C', '%10', 'C', 'C', '%10']);
    expect(tokenize('[O-][N+](=O)c1ccccc1')).toEqual(['[O-]', '[N+]', '(', '=', 'O', ')', 'c', '1', 'c', 'c', 'c', 'c', 'c', '1']);
    expect(tokenize('F/C=C\\F.[Na+]')).toEqual(['F', '/', 'C', '=', 'C', '\\', 'F', '.', '[Na+]']);
    // B and C alone stay single atoms when not followed by r / l.
    expect(tokenize('BC#N')).toEqual(['B', 'C', '#', 'N']);
    expect(tokenize('')).toEqual([]);
  });

  it(`round-trips every fixture molecule (${reference.molecules.length}, MOSES, ESOL and Tox21) and the generated set`, () => {
    for (const m of reference.molecules) {
      for (const s of [m.smiles, m.canonical]) expect(detokenize(tokenize(s))).toBe(s);
    }
    for (const s of reference.mosesMetrics.generated.filter((g) => !g.includes(' '))) expect(detokenize(tokenize(s))).toBe(s);
  });

  it('names the first character it cannot read', () => {
    expect(() => tokenize('CC O')).toThrow(/" " at position 2/);
    expect(() => tokenize('C[NH')).toThrow(/"\[" at position 1/);
    expect(() => tokenize('Cx')).toThrow(/"x" at position 1/);
    // and recovers: the shared sticky pattern is reset after an error
    expect(tokenize('CO')).toEqual(['C', 'O']);
  });
});

describe('SmilesVocabulary', () => {
  const corpus = ['CCO', 'c1ccccc1Cl', 'C[C@@H](Br)O', 'CC(=O)[O-]'];

  it('builds on the data package vocabulary: reserved ids first, then tokens by frequency', () => {
    const v = SmilesVocabulary.fromSmiles(corpus);
    expect(v.tokens.slice(0, 4)).toEqual(['<pad>', '<unk>', '<bos>', '<eos>']);
    expect(v.tokens[4]).toBe('c'); // 6 × c, then 5 × C
    expect(v.tokens[5]).toBe('C');
    expect(v.tokens).toContain('Cl');
    expect(v.tokens).toContain('[C@@H]');
    expect(v.tokens).not.toContain('l');
    expect(SmilesVocabulary.bosId).toBe(Vocabulary.bosId);
  });

  it('encodes and decodes a SMILES exactly, with <bos>/<eos> framing, and unknown tokens as <unk>', () => {
    const v = SmilesVocabulary.fromSmiles(corpus);
    for (const s of corpus) {
      const ids = v.encode(s, { bos: true, eos: true });
      expect(ids[0]).toBe(SmilesVocabulary.bosId);
      expect(ids.at(-1)).toBe(SmilesVocabulary.eosId);
      expect(v.decode(ids)).toBe(s);
    }
    const withUnknown = v.encode('CN');
    expect(withUnknown[1]).toBe(SmilesVocabulary.unkId);
    expect(v.decode(withUnknown)).toBe('C<unk>');
  });

  it('encodes a corpus that the data package batches, each SMILES recoverable from its batch row', () => {
    const v = SmilesVocabulary.fromSmiles(corpus);
    const c = v.encodeCorpus(corpus);
    expect(c.size).toBe(corpus.length);
    corpus.forEach((s, i) => {
      expect(v.decode(c.sentence(i))).toBe(s);
    });
    const [batch] = textBatches(c, { batchSize: 4, seed: 1 });
    const b = batch as NonNullable<typeof batch>;
    for (let r = 0; r < b.size; r++) {
      const row = b.targets.subarray(r * b.steps, (r + 1) * b.steps);
      expect(corpus).toContain(v.decode(row)); // targets end with <eos>, where decoding stops
    }
  });

  it('round-trips through JSON that the plain Vocabulary also reads', () => {
    const v = SmilesVocabulary.fromSmiles(corpus, { maxSize: 8 });
    const json = JSON.parse(JSON.stringify(v));
    expect(json.tokenizer).toBe(SMILES_TOKENIZER);
    expect(v.size).toBe(8);
    expect(SmilesVocabulary.fromJSON(json).tokens).toEqual(v.tokens);
    expect(Vocabulary.fromJSON(json).tokens).toEqual(v.tokens);
    expect(() => SmilesVocabulary.fromJSON({ format: 'x' })).toThrow(/vocabulary/);
  });
});
