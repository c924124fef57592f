/**
 * Issue 21's data cases: counts that wrapped around, a gzip bomb, a runaway line and binary bytes read as text.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  MAX_DOCUMENT_COUNT,
  TextCorpus,
  Vocabulary,
  bowBatches,
  defaultMaxLength,
  readBowVocabulary,
  readFeat,
  readIdx,
  readMaybeGzipped,
  readTokenizedText,
  textBatches,
} from '../src/index.js';
import { tempFiles } from './helpers.js';

/** A gzip file whose trailer (ISIZE) says `declared` bytes, whatever it holds. */
function withDeclaredSize(gz: Buffer, declared: number): Buffer {
  const copy = Buffer.from(gz);
  copy.writeUInt32LE(declared, copy.length - 4);
  return copy;
}

describe('NVDM counts stay exact', () => {
  it('accepts a count of 2^24 (exact in the float32 batch) and refuses 2^24 + 1 and 2^31 (which wrapped negative)', async () => {
    const f = tempFiles({ 'ok.feat': `1 1:${2 ** 24}\n`, 'over.feat': `1 1:${2 ** 24 + 1}\n`, 'wrap.feat': `1 2:1\n3 1:${2 ** 31}\n` });
    const corpus = await readFeat(f['ok.feat'], 2);
    const [batch] = [...bowBatches(corpus, { batchSize: 1, shuffle: false })];
    expect(batch!.counts[0]).toBe(16777216);
    expect(batch!.lengths[0]).toBe(16777216);
    await expect(readFeat(f['over.feat'], 2)).rejects.toThrow(
      `${f['over.feat']}:1: expected a COUNT of at most ${MAX_DOCUMENT_COUNT} (2^24, exact in float32), got "1:16777217"`,
    );
    await expect(readFeat(f['wrap.feat'], 2)).rejects.toThrow(`${f['wrap.feat']}:2: expected a COUNT of at most 16777216`);
  });

  it('refuses a document whose total passes 2^24 (its length would round in float32)', async () => {
    const f = tempFiles({ 'long.feat': `1 1:${2 ** 23} 2:${2 ** 23}\n1 1:${2 ** 23} 2:${2 ** 23 + 1}\n` });
    await expect(readFeat(f['long.feat'], 2)).rejects.toThrow(
      `${f['long.feat']}:2: expected a document of at most 16777216 word tokens (2^24, exact in float32), got 16777217 by "2:8388609"`,
    );
  });

  it('accepts vocabulary counts up to 2^31 − 1 and refuses 2^31', async () => {
    const f = tempFiles({ 'ok.new': `a ${2 ** 31 - 1}\n`, 'wrap.new': `a 1\nb ${2 ** 31}\n` });
    expect(Array.from((await readBowVocabulary(f['ok.new'])).counts)).toEqual([2147483647]);
    await expect(readBowVocabulary(f['wrap.new'])).rejects.toThrow(`${f['wrap.new']}:2: expected a count of at most 2147483647 (2^31 − 1), got 2147483648`);
  });
});

describe('gzip bombs', () => {
  const zeros = gzipSync(Buffer.alloc(4 * 2 ** 20)); // 4 MiB of zeros in ~4 KB

  it('reads an honest gzip file exactly', async () => {
    const f = tempFiles({ 'ok.gz': zeros });
    expect((await readMaybeGzipped(f['ok.gz'])).length).toBe(4 * 2 ** 20);
  });

  it('refuses a file that declares 3 GB before decompressing a byte of it', async () => {
    const f = tempFiles({ 'bomb.gz': withDeclaredSize(zeros, 3e9) });
    expect(3e9).toBeGreaterThan(DEFAULT_MAX_DECOMPRESSED_BYTES);
    await expect(readMaybeGzipped(f['bomb.gz'])).rejects.toThrow(
      `${f['bomb.gz']}: expected a gzip file of at most ${2 ** 30} bytes decompressed (maxDecompressedBytes), got one that declares 3000000000`,
    );
    // and through the IDX reader, which reads MNIST's .gz files
    await expect(readIdx(f['bomb.gz'], 3)).rejects.toMatchObject({ code: 'PARSE_ERROR' });
  });

  it('stops at the declared size when the trailer lies, and at maxDecompressedBytes', async () => {
    const f = tempFiles({ 'liar.gz': withDeclaredSize(zeros, 1000), 'ok.gz': zeros });
    await expect(readMaybeGzipped(f['liar.gz'])).rejects.toThrow(
      `${f['liar.gz']}: expected gzip data that decompresses to at most the 1000 bytes its trailer declares, got more`,
    );
    await expect(readMaybeGzipped(f['ok.gz'], { maxDecompressedBytes: 2 ** 20 })).rejects.toThrow(
      /at most 1048576 bytes decompressed \(maxDecompressedBytes\), got one that declares 4194304/,
    );
    const short = tempFiles({ 'short.gz': withDeclaredSize(zeros, 4 * 2 ** 20 + 10) });
    await expect(readMaybeGzipped(short['short.gz'])).rejects.toThrow(
      /short\.gz: expected a complete gzip stream, got a truncated or corrupt one \(zlib: incorrect length check\)/,
    );
  });
});

describe('sentence length is capped', () => {
  const ordinary = Array.from({ length: 100 }, (_, i) => `w${i % 7} w${i % 5} w${i % 3}`).join('\n');

  it('cuts one runaway 20,000-token line to the derived default, with a warning naming the file and line', async () => {
    const runaway = Array.from({ length: 20000 }, (_, i) => `t${i % 50}`).join(' ');
    const f = tempFiles({ 'run.txt': `${ordinary}\n${runaway}\nlast line\n` });
    const warnings: string[] = [];
    const text = await readTokenizedText(f['run.txt'], { onWarning: (m) => warnings.push(m) });
    expect(text.maxLength).toBe(200);
    expect(text.truncated).toBe(1);
    expect(text.sentences[100]).toHaveLength(200);
    expect(text.sentences[101]).toEqual(['last', 'line']);
    expect(warnings).toEqual([
      `${f['run.txt']}: cut 1 sentence to 200 words, the default derived from the file (set maxLength / --max-length to change it); the longest, ${f['run.txt']}:101, had 20000`,
    ]);
    const vocabulary = Vocabulary.fromSentences(text.sentences);
    const steps = [...textBatches(TextCorpus.encode(text, vocabulary), { batchSize: 16, shuffle: false })].map((b) => b.steps);
    expect(Math.max(...steps)).toBe(201);
  });

  it('honours an explicit maxLength and refuses a bad one', async () => {
    const f = tempFiles({ 'a.txt': 'a b c d e f g\nh i\n' });
    const warnings: string[] = [];
    const text = await readTokenizedText(f['a.txt'], { maxLength: 3, onWarning: (m) => warnings.push(m) });
    expect(text.sentences).toEqual([
      ['a', 'b', 'c'],
      ['h', 'i'],
    ]);
    expect(warnings[0]).toMatch(/cut 1 sentence to 3 words, maxLength; the longest, .*a\.txt:1, had 7/);
    await expect(readTokenizedText(f['a.txt'], { maxLength: 0 })).rejects.toThrow(/argument "maxLength" must be a positive integer/);
  });

  it('derives a default that ordinary corpora never reach', () => {
    expect(defaultMaxLength([10, 20, 82])).toBe(328);
    expect(defaultMaxLength(new Array(1000).fill(20))).toBe(200);
    expect(defaultMaxLength(new Array(1000).fill(5000))).toBe(1000);
  });
});

describe('binary input read as text', () => {
  it('warns on random bytes, not on UTF-8 text with accents', async () => {
    const f = tempFiles({ 'random.bin': randomBytes(200 * 1024), 'accents.txt': 'café crème brûlée\nnaïve façade\n' });
    const warnings: string[] = [];
    await readTokenizedText(f['random.bin'], { emptyLines: 'skip', onWarning: (m) => warnings.push(m) }).catch(() => undefined);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^${f['random.bin'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: looks like binary data, not text \\(\\d+ NUL bytes and \\d+ invalid UTF-8 sequences in 204800 bytes\\)`,
      ),
    );
    const clean: string[] = [];
    await readTokenizedText(f['accents.txt'], { onWarning: (m) => clean.push(m) });
    expect(clean).toEqual([]);
  });

  it('warns on a single NUL byte', async () => {
    const f = tempFiles({ 'nul.txt': 'a b\u0000c\n' });
    const warnings: string[] = [];
    await readTokenizedText(f['nul.txt'], { onWarning: (m) => warnings.push(m) });
    expect(warnings[0]).toMatch(/looks like binary data, not text \(1 NUL bytes and 0 invalid UTF-8 sequences in 6 bytes\)/);
  });
});
