import { describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS, Vocabulary } from '../src/index.js';

const sentences = [
  ['b', 'a', 'c', 'a'],
  ['c', 'd', '<unk>'],
];

describe('Vocabulary', () => {
  it('puts the reserved tokens first, then words by count with ties in code-point order', () => {
    const v = Vocabulary.fromSentences(sentences);
    // counts: a 2, c 2, b 1, d 1; <unk> is the reserved unknown token, not a word
    expect(v.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'a', 'c', 'b', 'd']);
    expect([Vocabulary.padId, Vocabulary.unkId, Vocabulary.bosId, Vocabulary.eosId].map((id) => v.token(id))).toEqual([...SPECIAL_TOKENS]);
  });

  it('does not depend on sentence order', () => {
    const a = Vocabulary.fromSentences(sentences);
    const b = Vocabulary.fromSentences([...sentences].reverse().map((s) => [...s].reverse()));
    expect(b.tokens).toEqual(a.tokens);
  });

  it('keeps the most frequent words up to maxSize (reserved tokens included)', () => {
    const v = Vocabulary.fromSentences(sentences, { maxSize: 6 });
    expect(v.size).toBe(6);
    expect(v.tokens.slice(4)).toEqual(['a', 'c']);
    expect(v.id('b')).toBe(Vocabulary.unkId);
    expect(() => Vocabulary.fromSentences(sentences, { maxSize: 3 })).toThrow(/argument "maxSize" must be an integer ≥ 4/);
  });

  it('encodes with optional <bos>/<eos> and decodes up to <eos>', () => {
    const v = Vocabulary.fromSentences(sentences);
    const ids = v.encode(['a', 'd', 'zebra'], { bos: true, eos: true });
    expect(Array.from(ids)).toEqual([2, 4, 7, 1, 3]);
    expect(v.decode([...ids, 5, 0])).toEqual(['a', 'd', '<unk>']);
    expect(() => v.decode([99])).toThrow(/argument "id" must be an integer in \[0, 8\)/);
  });

  it('round-trips through JSON and rejects a corrupt one', () => {
    const v = Vocabulary.fromSentences(sentences, { maxSize: 7 });
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)));
    expect(back.tokens).toEqual(v.tokens);
    expect(back.id('c')).toBe(v.id('c'));
    expect(() => Vocabulary.fromJSON({ format: 'other' })).toThrow(/latentkit-vocabulary/);
    const swapped = { ...v.toJSON(), tokens: ['<unk>', '<pad>', '<bos>', '<eos>'] };
    expect(() => Vocabulary.fromJSON(swapped)).toThrow(/json.tokens\[0\]" must be the reserved token "<pad>"/);
    const dup = { ...v.toJSON(), tokens: [...v.tokens, 'a'] };
    expect(() => Vocabulary.fromJSON(dup)).toThrow(/appears only once/);
  });
});
