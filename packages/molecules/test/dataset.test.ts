import { type SmilesVocabulary, loadChemistry } from '@latentkit/chem';
import { LatentkitError } from '@latentkit/core';
import { type TextBatch, datasetKindForPath, loadData as loadSpec, resolveDataSpec as resolveSpec } from '@latentkit/data';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MOSES_HELD_OUT, type SmilesLoadedData, augmentedSmiles } from '../src/index.js';
import { MOLECULES, sharedData, tempDir, writeTemp } from './helpers.js';

/** Every SMILES the batches hold, read back from their targets. */
function decodeAll(vocabulary: SmilesVocabulary, batches: Iterable<TextBatch>): string[] {
  const out: string[] = [];
  for (const b of batches) {
    for (let r = 0; r < b.size; r++) out.push(vocabulary.decode(b.targets.subarray(r * b.steps, (r + 1) * b.steps)));
  }
  return out;
}

// A spec with a path and no name goes to the kind that claims the path (the typed input asks for a name).
const loadData = (spec: Record<string, unknown>) => loadSpec(spec as never);
const resolveDataSpec = (spec: Record<string, unknown>) => resolveSpec(spec as never);

const smiFile = (lines: readonly string[]) => writeTemp('mols.smi', `${lines.join('\n')}\n`);

describe('smiles dataset kind', () => {
  it('claims .smi and .smi.gz files, and any file with format "smiles"', () => {
    expect(datasetKindForPath('a/mols.smi').name).toBe('smiles');
    expect(datasetKindForPath('a/mols.SMI.gz').name).toBe('smiles');
    expect(datasetKindForPath('a/mols.csv', 'smiles').name).toBe('smiles');
    expect(() => datasetKindForPath('a/mols.txt')).toThrow(LatentkitError);
  });

  it('round-trips every molecule through tokens and batches, and counts the invalid lines it skipped', async () => {
    const lines = [...MOLECULES.slice(0, 7), 'C1CC not-a-ring', ...MOLECULES.slice(7), 'c1cccc1 bad-aromatic'];
    const data = (await loadData({ path: smiFile(lines), validFraction: 0.2, testFraction: 0.2, seed: 5 })) as SmilesLoadedData;
    expect(data.spec.name).toBe('smiles');
    expect(data.skipped).toEqual({ count: 2, lines: [8, 22] });
    expect(data.summary).toContain('skipped 2 of 22');
    expect(data.counts.train + data.counts.valid + data.counts.test).toBe(MOLECULES.length);
    expect(data.counts.test).toBe(4);
    expect(data.shape.kind).toBe('tokens');
    if (data.shape.kind !== 'tokens') return;
    // Multi-character tokens are single vocabulary entries.
    for (const t of ['Cl', 'Br', '[nH]', '[C@@H]', '[O-]', '[C@H]']) expect(data.shape.vocabulary).toContain(t);
    expect(data.shape.specialTokens).toEqual({ pad: 0, unk: 1, bos: 2, eos: 3 });
    const back = [
      ...decodeAll(data.vocabulary, data.trainData(3, 1).batches(0, 0)),
      ...decodeAll(data.vocabulary, data.valid(3)()),
      ...decodeAll(
        data.vocabulary,
        Array.from(data.labelled('test', 3), (l) => l.batch),
      ),
    ];
    expect(back.sort()).toEqual([...MOLECULES].sort());
    expect([...data.molecules.train, ...data.molecules.valid, ...data.molecules.test].sort()).toEqual([...MOLECULES].sort());
  });

  it('reads a gzipped .smi and a CSV with a smiles column given format "smiles"', async () => {
    const dir = tempDir();
    writeFileSync(`${dir}/m.smi.gz`, gzipSync(`${MOLECULES.join('\n')}\n`));
    const gz = (await loadData({ path: `${dir}/m.smi.gz`, seed: 1 })) as SmilesLoadedData;
    expect(gz.counts.train + gz.counts.valid + gz.counts.test).toBe(MOLECULES.length);
    writeFileSync(`${dir}/m.csv`, `id,SMILES,logS\n${MOLECULES.map((s, i) => `${i},${s},0.5`).join('\n')}\n`);
    const csv = (await loadData({ path: `${dir}/m.csv`, format: 'smiles', seed: 1 })) as SmilesLoadedData;
    expect(csv.molecules).toEqual(gz.molecules);
  });

  it('makes the same splits from the same seed and different ones from another', async () => {
    const file = smiFile(MOLECULES);
    const a = (await loadData({ path: file, seed: 1 })) as SmilesLoadedData;
    const b = (await loadData({ path: file, seed: 1 })) as SmilesLoadedData;
    const c = (await loadData({ path: file, seed: 2 })) as SmilesLoadedData;
    expect(b.molecules).toEqual(a.molecules);
    expect(c.molecules.test).not.toEqual(a.molecules.test);
  });

  it('fails with a PARSE_ERROR (exit 3) on a file without a valid molecule, and refuses unknown options', async () => {
    const bad = smiFile(['C1CC', 'not a smiles', 'c1cccc1']);
    await expect(loadData({ path: bad })).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    expect(() => resolveDataSpec({ path: bad, options: { augmnt: true } })).toThrow(/augmnt/);
  });

  it('augments with randomised SMILES seeded by (seed, epoch): the same molecules, reproducible, new spellings each epoch', async () => {
    const chem = await loadChemistry();
    const canonical = (s: string) => chem.canonicalSmiles(s);
    const e0 = augmentedSmiles(chem, MOLECULES, 7, 0);
    expect(augmentedSmiles(chem, MOLECULES, 7, 0)).toEqual(e0);
    const e1 = augmentedSmiles(chem, MOLECULES, 7, 1);
    expect(e1).not.toEqual(e0);
    expect(e0.map(canonical)).toEqual(MOLECULES.map(canonical));
    expect(e1.map(canonical)).toEqual(MOLECULES.map(canonical));

    const data = (await loadData({ path: smiFile(MOLECULES), validFraction: 0, testFraction: 0.1, options: { augment: true }, seed: 3 })) as SmilesLoadedData;
    const epoch = (e: number) => decodeAll(data.vocabulary, data.trainData(4, 9).batches(e, 0));
    // Resume from an offset gives the tail of the same epoch: the spelling depends on (seed, epoch) only.
    const perBatch = (e: number, offset: number) => Array.from(data.trainData(4, 9).batches(e, offset), (b) => decodeAll(data.vocabulary, [b]));
    expect(perBatch(1, 2)).toEqual(perBatch(1, 0).slice(2));
    expect(epoch(0).map(canonical).sort()).toEqual(data.molecules.train.map(canonical).sort());
    expect(epoch(1)).not.toEqual(epoch(0));
  });
});

const dataDir = sharedData('moses-smiles');
describe.skipIf(!dataDir)('moses dataset', () => {
  it('holds out a seeded 10,000 of test.csv.gz', async () => {
    const data = (await loadData({ name: 'moses', dir: dataDir, validFraction: 0.01, seed: 1 })) as SmilesLoadedData;
    expect(data.counts.test).toBe(MOSES_HELD_OUT);
    expect(data.counts.train + data.counts.valid + data.counts.test).toBe(176_074);
    const train = new Set(data.molecules.train);
    expect(data.molecules.test.some((s) => train.has(s))).toBe(false);
  });
});

describe('a label column of a SMILES CSV', () => {
  // The class is a property of the molecule itself (aromatic or not), so each batch's labels can be checked against
  // the SMILES the batch holds, whatever the split and the shuffling did.
  const aromatic = (s: string) => (/[a-z]/.test(s.replace(/Cl|Br/g, '')) ? 'aromatic' : 'aliphatic');
  const csv = (rows: string[]) => writeTemp('labelled.csv', `smiles,kind\n${rows.join('\n')}\n`);

  it('carries each molecule’s class through the splits and the batches, names sorted', async () => {
    const file = csv(MOLECULES.map((m) => `${m},${aromatic(m)}`));
    const data = (await loadData({
      path: file,
      format: 'smiles',
      seed: 3,
      validFraction: 0.2,
      testFraction: 0.2,
      options: { labelColumn: 'kind' },
    })) as SmilesLoadedData;
    expect(data.labelNames).toEqual(['aliphatic', 'aromatic']);
    let seen = 0;
    for (const split of ['train', 'test'] as const) {
      for (const { batch, labels } of data.labelled(split, 4)) {
        const smiles = decodeAll(data.vocabulary, [batch]);
        expect(labels).toBeDefined();
        for (const [i, s] of smiles.entries()) expect(data.labelNames?.[labels?.[i] as number], s).toBe(aromatic(s));
        seen += smiles.length;
      }
    }
    expect(seen).toBe(data.counts.train + data.counts.test);
    // The training batches the trainer reads carry them too (what a conditional model's condition comes from).
    for (const batch of data.trainData(5, 1).batches(0, 0)) {
      const smiles = decodeAll(data.vocabulary, [batch]);
      for (const [i, s] of smiles.entries()) expect(data.labelNames?.[(batch as { labels?: Int32Array }).labels?.[i] as number]).toBe(aromatic(s));
    }
  });

  it('keeps class numbers as written, and names the line of an empty cell or a missing column', async () => {
    const numbers = (await loadData({
      path: csv(MOLECULES.map((m, i) => `${m},${i % 3}`)),
      format: 'smiles',
      seed: 1,
      options: { labelColumn: 'kind' },
    })) as SmilesLoadedData;
    expect(numbers.labelNames).toBeUndefined();
    const labels = [...numbers.labelled('train', 64)].flatMap(({ labels }) => Array.from(labels ?? []));
    expect(new Set(labels)).toEqual(new Set([0, 1, 2]));
    const empty = csv(MOLECULES.map((m, i) => `${m},${i === 4 ? '' : 'a'}`));
    await expect(loadData({ path: empty, format: 'smiles', options: { labelColumn: 'kind' } })).rejects.toThrow(
      /labelled\.csv:6: expected a class in column "kind", got an empty cell/,
    );
    await expect(loadData({ path: empty, format: 'smiles', options: { labelColumn: 'nope' } })).rejects.toThrow(/expected a label column "nope" in the header/);
    await expect(loadData({ path: smiFile(MOLECULES), options: { labelColumn: 'kind' } })).rejects.toThrow(/a \.smi file, which has no columns/);
  });
});
