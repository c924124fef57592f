import { describe, expect, it } from 'vitest';
import { TextCorpus, Vocabulary, bucketedPlan, loadPtb, loadTextDataset, readTokenizedText, textBatches } from '../src/index.js';
import { sharedData, tempFiles } from './helpers.js';

const TOY = ' the cat sat \n a dog \n the cat sat on the mat \n dog \n';

describe('tokenized text', () => {
  it('reads one sentence per line, split on whitespace, CRLF tolerated', async () => {
    const f = tempFiles({ 'toy.txt': TOY.replaceAll('\n', '\r\n') });
    const text = await readTokenizedText(f['toy.txt']);
    expect(text.sentences).toEqual([['the', 'cat', 'sat'], ['a', 'dog'], ['the', 'cat', 'sat', 'on', 'the', 'mat'], ['dog']]);
  });

  it('rejects an empty file, a blank line and reserved tokens, naming file and line', async () => {
    const f = tempFiles({ 'empty.txt': '', 'blank.txt': 'a b\n\nc\n', 'eos.txt': 'a b\nc <eos>\n' });
    await expect(readTokenizedText(f['empty.txt'])).rejects.toThrow(`${f['empty.txt']}: expected at least one line, got an empty file`);
    await expect(readTokenizedText(f['blank.txt'])).rejects.toThrow(`${f['blank.txt']}:2: expected a sentence of at least one token, got a blank line`);
    expect((await readTokenizedText(f['blank.txt'], { emptyLines: 'skip' })).sentences).toEqual([['a', 'b'], ['c']]);
    await expect(readTokenizedText(f['eos.txt'])).rejects.toThrow(`${f['eos.txt']}:2: expected words other than the reserved`);
    await expect(readTokenizedText(`${f.dir}/nope.txt`)).rejects.toThrow(/nope\.txt: cannot read \(no such file\)/);
  });

  it('reads a label before each sentence when asked, and carries it into batches', async () => {
    const f = tempFiles({ 'rated.txt': '4 great food\n0  awful  service \n2 ok', 'bad.txt': '3 fine\nfive stars\n', 'bare.txt': '1 yes\n2\n' });
    const { train } = await loadTextDataset({ train: f['rated.txt'] }, { labels: 'first-token' });
    expect(Array.from(train.labels!)).toEqual([4, 0, 2]);
    expect(Array.from(train.lengths())).toEqual([2, 2, 1]);
    const [batch] = [...textBatches(train, { batchSize: 3, shuffle: false })];
    expect(Array.from(batch!.labels!)).toEqual([2, 4, 0]);
    await expect(readTokenizedText(f['bad.txt'], { labels: 'first-token' })).rejects.toThrow(`${f['bad.txt']}:2: expected an integer label first, got "five"`);
    await expect(readTokenizedText(f['bare.txt'], { labels: 'first-token' })).rejects.toThrow(
      `${f['bare.txt']}:2: expected a sentence of at least one token after the label, got none`,
    );
  });

  it('encodes into flat ids with offsets', async () => {
    const f = tempFiles({ 'toy.txt': TOY });
    const { vocabulary, train } = await loadTextDataset({ train: f['toy.txt'] });
    expect(train.size).toBe(4);
    expect(Array.from(train.lengths())).toEqual([3, 2, 6, 1]);
    expect(train.tokenCount()).toBe(12);
    expect(train.tokenCount({ eos: true })).toBe(16);
    expect(vocabulary.decode(train.sentence(2))).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat']);
  });

  it('builds padded <bos>/<eos> batches with the token counts perplexity needs', async () => {
    const f = tempFiles({ 'toy.txt': TOY });
    const { vocabulary: v, train } = await loadTextDataset({ train: f['toy.txt'] });
    const [short, long] = [...textBatches(train, { batchSize: 2, shuffle: false })];
    // no shuffle: short-to-long, ties in file order → [dog], [a dog] then [the cat sat], [the cat sat on the mat]
    expect(Array.from(short!.indices)).toEqual([3, 1]);
    expect(short!.steps).toBe(3);
    const id = (w: string) => v.id(w);
    expect(Array.from(short!.inputs)).toEqual([2, id('dog'), 0, 2, id('a'), id('dog')]);
    expect(Array.from(short!.targets)).toEqual([id('dog'), 3, 0, id('a'), id('dog'), 3]);
    expect(Array.from(short!.mask)).toEqual([1, 1, 0, 1, 1, 1]);
    expect([short!.wordCount, short!.tokenCount]).toEqual([3, 5]);
    expect([long!.steps, long!.tokenCount]).toEqual([7, 11]);
    expect(long!.position).toEqual({ epoch: 0, offset: 2 });
  });

  it('buckets cover every sentence exactly once, and resume mid-epoch from (seed, epoch, offset)', () => {
    const lengths = Array.from({ length: 503 }, (_, i) => 1 + ((i * 37) % 41));
    const offsets = Int32Array.from([0, ...lengths.map((_, i) => lengths.slice(0, i + 1).reduce((a, b) => a + b, 0))]);
    const corpus = new TextCorpus(new Int32Array(offsets.at(-1)!).fill(7), offsets);
    const opts = { batchSize: 16, seed: 'abc', epoch: 2 };
    const plan = bucketedPlan(corpus, opts);
    expect(plan.flatMap((b) => Array.from(b)).sort((a, b) => a - b)).toEqual(Array.from({ length: 503 }, (_, i) => i));
    // sorted by length before cutting: ordered by their shortest sentence, batches' length ranges do not overlap
    const spans = plan.map((b) => Array.from(b, (i) => corpus.length(i))).map((l) => [Math.min(...l), Math.max(...l)] as const);
    spans.sort((x, y) => x[0] - y[0]);
    for (let k = 1; k < spans.length; k++) expect(spans[k]![0]).toBeGreaterThanOrEqual(spans[k - 1]![1]);
    expect(bucketedPlan(corpus, { ...opts, epoch: 3 }).map((b) => b[0])).not.toEqual(plan.map((b) => b[0]));
    const all = [...textBatches(corpus, opts)];
    const resumed = [...textBatches(corpus, { ...opts, offset: 20 })];
    expect(resumed.map((b) => Array.from(b.indices))).toEqual(all.slice(20).map((b) => Array.from(b.indices)));
    expect(all.reduce((n, b) => n + b.tokenCount, 0)).toBe(corpus.tokenCount({ eos: true }));
    expect(() => textBatches(corpus, { ...opts, offset: 33 })).toThrow(/argument "offset" must be at most the 32 batches/);
    expect(() => new TextCorpus(new Int32Array(3), Int32Array.from([0, 2, 1, 3]))).toThrow(
      /argument "offsets" must be non-decreasing, from 0 to tokens.length, got \[0, 2, 1, 3\]/,
    );
  });
});

const dataDir = sharedData('ptb');
describe.skipIf(!dataDir)('Penn Treebank (shared data)', () => {
  it('reproduces the README counts: sentences, tokens with and without <eos>, vocabulary, <unk>, longest line', async () => {
    const ptb = await loadPtb(dataDir!);
    const splits = { train: ptb.train, valid: ptb.valid, test: ptb.test };
    const got = Object.fromEntries(
      Object.entries(splits).map(([k, c]) => [k, [c.size, c.tokenCount(), c.tokenCount({ eos: true }), c.count(Vocabulary.unkId), Math.max(...c.lengths())]]),
    );
    expect(got).toEqual({
      train: [42068, 887521, 929589, 45020, 82],
      valid: [3370, 70390, 73760, 3485, 74],
      test: [3761, 78669, 82430, 4794, 77],
    });
    // 9,999 types in train incl. <unk>, 10,000 with <eos>; plus <pad> and <bos>
    expect(ptb.vocabulary.size).toBe(10002);
    // reference: `tr ' ' '\n' < ptb.train.txt | grep -v '^<unk>$' | LC_ALL=C sort | uniq -c | LC_ALL=C sort -k1,1nr -k2,2`
    expect(ptb.vocabulary.tokens.slice(4, 7)).toEqual(['the', 'N', 'of']);
    expect(ptb.vocabulary.tokens.at(-1)).toBe('wachter');
  });

  it('streams an epoch whose batch token counts add up to the split total', async () => {
    const ptb = await loadPtb(dataDir!, { maxSize: 5000 });
    // same reference listing: words 4995..4997 all occur 15 times; code-point order keeps "salesman", drops "sank"
    expect(ptb.vocabulary.tokens.slice(-2)).toEqual(['saks', 'salesman']);
    expect(ptb.vocabulary.has('sank')).toBe(false);
    let tokens = 0;
    let padded = 0;
    for (const b of textBatches(ptb.valid, { batchSize: 32, seed: 1 })) {
      tokens += b.tokenCount;
      padded += b.size * b.steps;
    }
    expect(tokens).toBe(73760);
    expect(padded / tokens).toBeLessThan(1.02); // bucketing keeps padding under 2%
  });
});

const yelpDir = sharedData('yelp13-xu-durrett-partial');
describe.skipIf(!yelpDir)('Yelp 2013, Xu & Durrett version (shared data, labelled lines)', () => {
  it('reproduces the README: reviews, tokens and reviews per label 0–4', async () => {
    const files = { train: `${yelpDir}/yelp13-xu-durrett-partial/yelp.valid.txt`, test: `${yelpDir}/yelp13-xu-durrett-partial/yelp.test.txt` };
    const { train: valid, test } = await loadTextDataset(files, { labels: 'first-token' });
    const perLabel = (labels: Int32Array) => Array.from({ length: 5 }, (_, k) => labels.filter((l) => l === k).length);
    expect([valid.size, valid.tokenCount(), ...perLabel(valid.labels!)]).toEqual([7773, 370321, 246, 669, 1491, 3207, 2160]);
    expect([test!.size, test!.tokenCount(), ...perLabel(test!.labels!)]).toEqual([8671, 411779, 299, 751, 1607, 3567, 2447]);
    expect([valid.count(Vocabulary.unkId), Math.max(...valid.lengths())]).toEqual([4682, 50]);
  });
});
