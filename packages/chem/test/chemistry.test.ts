import { Rng } from '@latentkit/core/base';
import { describe, expect, it } from 'vitest';
import { QED_ACCEPTOR_SMARTS, QED_ALERT_SMARTS, QED_ALIPHATIC_RING_ATOM, loadChemistry, loadRDKit, onBits, svgGrid } from '../src/index.js';
import { reference } from './helpers.js';
import type { WasmMemory } from './setup.js';

const chem = await loadChemistry();
const molecules = reference.molecules;
const moses = molecules.filter((m) => m.source === 'moses');

/**
 * Where MinimalLib 2026.09.1 and the fixture's Python RDKit 2022.09.3 disagree, and why. Each entry is checked to
 * differ only in the listed properties; everything else must match to 1e-9.
 * - Vanadium's atomic weight and most abundant isotope changed in RDKit's periodic table between the two releases.
 * - Rotatable bonds (strict) no longer count a bond to a CD3 carbon whose only other neighbours are explicit
 *   deuterium atoms, which moves ROTB and therefore QED.
 */
const VERSION_DIFFERENCES: Record<string, readonly string[]> = {
  'Cl[V](Cl)(C1C=CC=C1)C1C=CC=C1': ['molecularWeight', 'exactMolecularWeight', 'qed', 'MW'],
  '[2H]C([2H])([2H])[C@H](N)Cc1ccccc1.[2H]C([2H])([2H])[C@H](N)Cc1ccccc1': ['rotatableBonds', 'qed', 'ROTB'],
};
const allowed = (smiles: string, key: string): boolean => VERSION_DIFFERENCES[smiles]?.includes(key) ?? false;

describe('loadChemistry', () => {
  it('starts MinimalLib once and hands out the same instance', async () => {
    expect(await loadChemistry()).toBe(chem);
    expect(chem.rdkitVersion).toMatch(/^\d{4}\.\d{2}\.\d+/);
  });
});

describe('validity and canonical SMILES', () => {
  it('rejects what RDKit cannot parse or sanitize, the empty string and non-SMILES formats', () => {
    for (const bad of ['', '   ', 'C1CC', 'c1cccc1', 'CC(C)(C)(C)(C)C', 'not a smiles', 'C(', '{"molecules": []}', 'C\nC']) {
      expect(chem.isValidSmiles(bad), bad).toBe(false);
      expect(chem.canonicalSmiles(bad), bad).toBeNull();
      expect(chem.descriptors(bad)).toBeNull();
      expect(chem.morganFingerprint(bad)).toBeNull();
      expect(chem.svgDepiction(bad)).toBeNull();
    }
    for (const good of ['C', 'CCO', 'c1ccccc1', '[nH]1cccc1', 'C[C@@H](N)C(=O)O']) expect(chem.isValidSmiles(good), good).toBe(true);
  });

  it('gives Python RDKit canonical SMILES (exactly, or the same molecule when the releases write it differently)', () => {
    let exact = 0;
    for (const m of molecules) {
      const ours = chem.canonicalSmiles(m.smiles);
      if (ours === m.canonical) exact++;
      // Round trip: the Python canonical string is the same molecule, so MinimalLib canonicalises it to our output.
      else expect(chem.canonicalSmiles(m.canonical), m.smiles).toBe(ours);
    }
    // 319 of 320 strings are identical between RDKit 2022.09.3 and 2026.09.1.
    expect(exact).toBeGreaterThanOrEqual(molecules.length - 3);
  });

  it('is canonical: every written form of a molecule gives the same string', () => {
    const rng = Rng.fromSeed(5);
    for (const m of moses.slice(0, 50)) {
      const canonical = chem.canonicalSmiles(m.smiles);
      expect(chem.canonicalSmiles(chem.randomSmiles(m.smiles, rng) as string)).toBe(canonical);
      expect(chem.canonicalSmiles(canonical as string)).toBe(canonical);
    }
  });
});

describe('descriptors against Python RDKit', () => {
  it(`match Crippen logP, MolWt, ExactMolWt, TPSA, heavy atoms, HBD and strict rotatable bonds on ${molecules.length} molecules to 1e-9`, () => {
    const fields = [
      ['logP', 'logP'],
      ['molecularWeight', 'molWt'],
      ['exactMolecularWeight', 'exactMolWt'],
      ['tpsa', 'tpsa'],
      ['heavyAtoms', 'heavyAtoms'],
      ['hbd', 'hbd'],
      ['rotatableBonds', 'rotatableBondsStrict'],
    ] as const;
    let compared = 0;
    for (const m of molecules) {
      const d = chem.descriptors(m.smiles);
      expect(d, m.smiles).not.toBeNull();
      for (const [ours, theirs] of fields) {
        if (allowed(m.smiles, ours)) continue;
        expect(Math.abs((d?.[ours] as number) - m[theirs]), `${ours} of ${m.smiles}`).toBeLessThan(1e-9);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(fields.length * (molecules.length - 2));
  });

  it(`QED equals rdkit.Chem.QED.qed to 1e-9 on all ${moses.length} MOSES molecules`, () => {
    expect(moses.length).toBeGreaterThanOrEqual(200);
    for (const m of moses) expect(Math.abs((chem.qed(m.smiles) as number) - m.qed), m.smiles).toBeLessThan(1e-9);
  });

  it('QED and its eight properties equal RDKit on the ESOL and Tox21 molecules too (charged, halogenated, metal-containing)', () => {
    const others = molecules.filter((m) => m.source !== 'moses');
    expect(others.length).toBeGreaterThanOrEqual(100);
    let alertsSeen = 0;
    for (const m of others) {
      const props = chem.qedProperties(m.smiles) as unknown as Record<string, number>;
      for (const [key, value] of Object.entries(m.qedProperties)) {
        if (!allowed(m.smiles, key)) expect(Math.abs((props[key] as number) - value), `${key} of ${m.smiles}`).toBeLessThan(1e-9);
      }
      if (!allowed(m.smiles, 'qed')) expect(Math.abs((chem.qed(m.smiles) as number) - m.qed), m.smiles).toBeLessThan(1e-9);
      if ((m.qedProperties['ALERTS'] as number) > 0) alertsSeen++;
    }
    // The structural alerts are exercised, not just the zero case.
    expect(alertsSeen).toBeGreaterThan(30);
  });

  it("uses exactly rdkit.Chem.QED's acceptor, structural-alert and aliphatic-ring SMARTS", async () => {
    expect(QED_ACCEPTOR_SMARTS).toEqual(reference.qedSmarts.acceptors);
    expect(QED_ALERT_SMARTS).toEqual(reference.qedSmarts.alerts);
    // Python keeps only the compiled query; both RDKits write it back the same way.
    const query = (await loadRDKit()).get_qmol(QED_ALIPHATIC_RING_ATOM);
    expect(query?.get_smarts()).toBe(reference.qedSmarts.aliphaticRings);
    query?.delete();
    expect(QED_ALERT_SMARTS.length).toBe(116);
  });

  it('QED of the three doctest molecules in rdkit.Chem.QED (the doctest prints 0.253..., 0.234..., 0.234...)', () => {
    const doctest: [string, string][] = [
      ['N=C(CCSCc1csc(N=C(N)N)n1)NS(N)(=O)=O', '0.253'],
      ['CNC(=NCCSCc1nc[nH]c1C)NC#N', '0.234'],
      ['CCCCCNC(=N)NN=Cc1c[nH]c2ccc(CO)cc12', '0.234'],
    ];
    for (const [smiles, prefix] of doctest) expect(String(chem.qed(smiles))).toMatch(new RegExp(`^${prefix.replace('.', '\\.')}\\d`));
  });
});

describe('Morgan fingerprints', () => {
  it(`set the same bits as GetMorganFingerprintAsBitVect(mol, 2, nBits=1024) on ${molecules.length} molecules`, () => {
    for (const m of molecules) {
      const fp = chem.morganFingerprint(m.smiles, { radius: 2, nBits: 1024 });
      expect(fp?.nBits).toBe(1024);
      expect(onBits(fp as NonNullable<typeof fp>), m.smiles).toEqual(m.morganOnBits);
      expect(fp?.onBitCount).toBe(m.morganOnBits.length);
    }
  });

  it('honour radius and size, and reject sizes that are not multiples of 32', () => {
    const small = chem.morganFingerprint('CC(=O)Oc1ccccc1C(=O)O', { radius: 1, nBits: 2048 });
    const large = chem.morganFingerprint('CC(=O)Oc1ccccc1C(=O)O', { radius: 3, nBits: 2048 });
    expect(small?.nBits).toBe(2048);
    expect(large?.onBitCount).toBeGreaterThan(small?.onBitCount as number);
    expect(() => chem.morganFingerprint('CCO', { nBits: 1000 })).toThrow(/nBits/);
  });
});

describe('SVG depiction', () => {
  it('draws the molecule with its legend at the requested size', () => {
    const svg = chem.svgDepiction('CC(=O)Oc1ccccc1C(=O)O', { width: 320, height: 200, legend: 'aspirin' }) as string;
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    expect(svg).toContain("width='320px'");
    expect(svg).toContain("height='200px'");
    expect(svg).toContain("class='legend'");
    expect(chem.svgDepiction('CCO') as string).not.toContain("class='legend'");
    expect(() => chem.svgDepiction('CCO', { width: 0 })).toThrow(/width/);
  });
});

describe('SVG grid', () => {
  it('places one drawing per cell in rows of `columns`, with legends, and marks invalid SMILES', () => {
    const cells = [
      { smiles: 'CCO', legend: 'logP -0.00' },
      { smiles: 'c1ccccc1' },
      { smiles: 'C1CC', legend: 'x < y' },
      { smiles: 'CC(=O)O', legend: 'QED 0.43' },
      { smiles: 'N' },
    ];
    const svg = svgGrid(chem, cells, { columns: 2, cellWidth: 200, cellHeight: 150 });
    expect(svg.startsWith("<svg xmlns='http://www.w3.org/2000/svg' version='1.1' width='400' height='450'")).toBe(true);
    expect(svg).not.toContain('<?xml');
    expect(svg.match(/<svg\b/g)?.length).toBe(1 + cells.length);
    expect(svg.match(/<\/svg>/g)?.length).toBe(1 + cells.length);
    expect(svg).toContain("<svg x='200' y='0'");
    expect(svg).toContain("<svg x='0' y='300'");
    expect(svg).toContain('invalid SMILES · x &#60; y');
    expect(svg.match(/class='legend'/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('randomised SMILES', () => {
  it('writes the same molecule in another atom order, reproducibly from the seed', () => {
    const smiles = moses.slice(0, 100).map((m) => m.smiles);
    const a = smiles.map((s) => chem.randomSmiles(s, Rng.fromSeed(11)));
    const b = smiles.map((s) => chem.randomSmiles(s, Rng.fromSeed(11)));
    const c = smiles.map((s) => chem.randomSmiles(s, Rng.fromSeed(12)));
    expect(a).toEqual(b);
    let changed = 0;
    a.forEach((r, i) => {
      expect(chem.canonicalSmiles(r as string)).toBe(chem.canonicalSmiles(smiles[i] as string));
      if (r !== c[i]) changed++;
    });
    expect(changed).toBeGreaterThan(90);
  });

  it('keeps stereochemistry, charges, isotopes and disconnected parts', () => {
    const rng = Rng.fromSeed(3);
    for (const s of ['C[C@@H](N)C(=O)O', 'F/C=C/F', 'C/C=C\\C[C@H](O)Cl', '[NH4+].[Cl-]', '[13CH3]C(=O)[O-].[Na+]', 'c1ccc[nH]1', '[O-][n+]1ccccc1']) {
      for (let i = 0; i < 5; i++) expect(chem.canonicalSmiles(chem.randomSmiles(s, rng) as string), s).toBe(chem.canonicalSmiles(s));
    }
    expect(chem.randomSmiles('C1CC', rng)).toBeNull();
  });
});

describe('wasm memory', () => {
  // MinimalLib objects live in wasm memory, which only grows; a leaked molecule per call shows up as growth.
  it('does not grow over thousands of calls once warm', () => {
    const memory = wasmMemory();
    const smiles = moses.slice(0, 20).map((m) => m.smiles);
    const rng = Rng.fromSeed(1);
    const work = (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        for (const s of smiles) {
          chem.canonicalSmiles(s);
          chem.morganFingerprint(s);
          chem.isValidSmiles(`${s}(`);
        }
        const s = smiles[r % smiles.length] as string;
        chem.descriptors(s);
        chem.svgDepiction(s, { legend: 'x' });
        chem.randomSmiles(s, rng);
      }
    };
    work(30);
    const warm = memory.buffer.byteLength;
    work(100); // 6,000 parses and fingerprints, 100 descriptor sets, depictions and random SMILES
    expect(memory.buffer.byteLength).toBe(warm);
  });
});

/** The MinimalLib instance's memory, found among the exports of the wasm instance vitest's module graph created. */
function wasmMemory(): WasmMemory {
  const found = (globalThis as { __latentkitWasmMemory?: WasmMemory }).__latentkitWasmMemory;
  if (found === undefined) throw new Error('test setup did not capture the wasm memory');
  return found;
}

describe('wasm memory (control)', () => {
  it('does grow when molecules are not deleted, so the test above can fail', async () => {
    const memory = wasmMemory();
    const rdkit = await loadRDKit();
    const before = memory.buffer.byteLength;
    const leaked = [];
    for (let i = 0; i < 20_000 && memory.buffer.byteLength === before; i++) leaked.push(rdkit.get_mol('CC1C2CCC(C2)C1CN(CCO)C(=O)c1ccc(Cl)cc1'));
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    for (const m of leaked) m?.delete();
  });
});
