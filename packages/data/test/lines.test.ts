import { describe, expect, it } from 'vitest';
import { Vocabulary, loadLineBow, loadLineText } from '../src/index.js';
import { tempFiles } from './helpers.js';

const written = tempFiles({
  'train.txt': 'the cat sat\nthe dog sat\nthe cat ran far\n',
  'valid.txt': 'the bird sat\n',
});
const files = { train: written['train.txt'], valid: written['valid.txt'] };

describe('one sentence or document per line', () => {
  it('builds the vocabulary from the training split with vocabSize and minCount; the rest is <unk>', async () => {
    const all = await loadLineText(files);
    expect(all.vocabulary.tokens.slice(4)).toEqual(['the', 'cat', 'sat', 'dog', 'far', 'ran']);
    const min2 = await loadLineText(files, { minCount: 2 });
    expect(min2.vocabulary.tokens.slice(4)).toEqual(['the', 'cat', 'sat']);
    const top2 = await loadLineText(files, { vocabSize: 2 });
    expect(top2.vocabulary.size).toBe(6);
    expect(top2.vocabulary.decode(top2.valid?.sentence(0) ?? [])).toEqual(['the', '<unk>', '<unk>']);
    expect(min2.valid?.count(Vocabulary.unkId)).toBe(1); // "bird" was never in train
  });

  it('bag-of-words from raw documents: counts per document, words outside the training vocabulary dropped', async () => {
    const bow = await loadLineBow(files, { minCount: 2 });
    expect(bow.vocabulary.words).toEqual(['the', 'cat', 'sat']);
    expect(Array.from(bow.vocabulary.counts)).toEqual([3, 2, 2]);
    expect(Array.from(bow.train.densify([0, 1, 2]))).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 0]);
    expect(Array.from(bow.valid?.densify([0]) ?? [])).toEqual([1, 0, 1]);
    expect(bow.train.tokenCount()).toBe(7);
  });

  it('rejects a bad vocabSize', async () => {
    await expect(loadLineText(files, { vocabSize: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
