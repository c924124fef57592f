import { describe, expect, it } from 'vitest';
import { bowBatches, loadBowDataset, loadNewsgroups, readBowVocabulary, readFeat } from '../src/index.js';
import { sharedData, tempFiles } from './helpers.js';

const VOCAB = 'alpha 5\nbeta 3\ngamma 1\n';

describe('NVDM bag-of-words', () => {
  it('reads 1-based ids into a sparse corpus and densifies a batch', async () => {
    const f = tempFiles({ 'vocab.new': VOCAB, 'train.feat': '2 1:3 3:1\n7 2:2\n' });
    const { vocabulary, train } = await loadBowDataset({ vocabulary: f['vocab.new'], train: f['train.feat'] });
    expect(vocabulary.words).toEqual(['alpha', 'beta', 'gamma']);
    expect(Array.from(vocabulary.counts)).toEqual([5, 3, 1]);
    expect(Array.from(train.labels)).toEqual([2, 7]);
    expect(Array.from(train.ids)).toEqual([0, 2, 1]);
    expect(Array.from(train.densify([1, 0]))).toEqual([0, 2, 0, 3, 0, 1]);
    expect(() => train.densify([2])).toThrow(/argument "documents" must be indices in \[0, 2\), got 2/);
    expect(train.tokenCount()).toBe(6);
    expect(train.tokenCount([1])).toBe(2);
    const [batch] = [...bowBatches(train, { batchSize: 2, shuffle: false })];
    expect(Array.from(batch!.counts)).toEqual([3, 0, 1, 0, 2, 0]);
    expect(Array.from(batch!.lengths)).toEqual([4, 2]);
    expect([batch!.tokenCount, ...batch!.labels]).toEqual([6, 2, 7]);
  });

  it.each([
    ['id 0', '1 1:1\n1 0:2\n', ':2: expected a word ID in 1..3 (IDs are 1-based), got 0 in "0:2"'],
    ['id above the vocabulary', '1 4:1\n', ':1: expected a word ID in 1..3 (IDs are 1-based), got 4 in "4:1"'],
    ['non-integer id', '1 1:1 x:2\n', ':1: expected ID:COUNT with an integer ID, got "x:2"'],
    ['missing colon', '1 12\n', ':1: expected ID:COUNT with an integer ID, got "12"'],
    ['non-integer count', '1 1:1\n1 2:1.5\n', ':2: expected ID:COUNT with a positive integer COUNT, got "2:1.5"'],
    ['zero count', '1 2:0\n', ':1: expected ID:COUNT with a positive integer COUNT, got "2:0"'],
    ['repeated id', '1 2:1 2:4\n', ':1: expected each word ID at most once per document, got ID 2 twice'],
    ['non-integer label', 'x 2:1\n', ':1: expected an integer label first, got "x"'],
    ['blank line', '1 2:1\n\n1 1:1\n', ':2: expected an integer label first, got an empty line'],
    ['no pairs', '3\n', ':1: expected at least one ID:COUNT pair after the label, got none'],
    ['empty file', '', ': expected at least one line, got an empty file'],
  ])('rejects a .feat file with a %s, naming file and line', async (_, feat, message) => {
    const f = tempFiles({ 'bad.feat': feat });
    await expect(readFeat(f['bad.feat'], 3)).rejects.toThrow(`${f['bad.feat']}${message}`);
  });

  it('rejects a malformed vocab.new', async () => {
    const f = tempFiles({ 'dup.new': 'a 1\nb 2\na 3\n', 'count.new': 'a x\n', 'fields.new': 'a 1 2\n' });
    await expect(readBowVocabulary(f['dup.new'])).rejects.toThrow(`${f['dup.new']}:3: expected a word not listed before, got "a" again (first on line 1)`);
    await expect(readBowVocabulary(f['count.new'])).rejects.toThrow(`${f['count.new']}:1: expected a non-negative integer count`);
    await expect(readBowVocabulary(f['fields.new'])).rejects.toThrow(`${f['fields.new']}:1: expected a line "WORD COUNT"`);
  });
});

const dataDir = sharedData('20news-nvdm');
describe.skipIf(!dataDir)('20 Newsgroups NVDM (shared data)', () => {
  it('reproduces the README: documents, tokens, non-zeros, vocabulary, documents per label', async () => {
    const ng = await loadNewsgroups(dataDir!);
    expect(ng.vocabulary.words.length).toBe(2000);
    const perLabel = (labels: Int32Array) => Array.from({ length: 20 }, (_, k) => labels.filter((l) => l === k + 1).length);
    expect([ng.train.labels.length, ng.train.tokenCount(), ng.train.ids.length]).toEqual([11268, 1128881, 729545]);
    expect([ng.test.labels.length, ng.test.tokenCount(), ng.test.ids.length]).toEqual([7505, 720898, 477078]);
    expect(perLabel(ng.train.labels)).toEqual([480, 581, 572, 587, 575, 592, 582, 592, 596, 594, 598, 594, 591, 594, 593, 599, 545, 564, 463, 376]);
    expect(perLabel(ng.test.labels)).toEqual([318, 389, 391, 392, 383, 390, 382, 395, 397, 397, 399, 395, 393, 393, 392, 398, 364, 376, 310, 251]);
    // vocab.new's counts are the column sums of train.feat when ids are read 1-based
    const columnSums = new Int32Array(2000);
    ng.train.ids.forEach((id, k) => {
      columnSums[id] = columnSums[id]! + ng.train.counts[k]!;
    });
    expect(Array.from(columnSums)).toEqual(Array.from(ng.vocabulary.counts));
  });

  it('densified batches over an epoch hold every token once', async () => {
    const ng = await loadNewsgroups(dataDir!);
    let total = 0;
    let seen = 0;
    for (const b of bowBatches(ng.test, { batchSize: 500, seed: 9 })) {
      expect(b.counts.length).toBe(b.size * 2000);
      total += b.counts.reduce((a, c) => a + c, 0);
      seen += b.size;
    }
    expect([seen, total]).toEqual([7505, 720898]);
  });
});
