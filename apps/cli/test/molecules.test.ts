/**
 * The molecule commands as a user runs them: a tiny smiles-vae run on a .smi file with a broken line is trained,
 * sampled to SMILES (with its molecule report) and used for design; a file with no valid molecule exits 3.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PropertyHead } from '@latentkit/molecules';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
let cwd: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MOLECULES = [
  'CCO',
  'c1ccccc1Cl',
  'CC(=O)Oc1ccccc1C(=O)O',
  'c1ccc2[nH]ccc2c1',
  'BrCCBr',
  'CCN(CC)CC',
  'C1CCCCC1',
  'OCC(O)CO',
  'Clc1ccc(Cl)cc1',
  'COc1ccccc1',
  'NC(=O)c1ccccc1',
  'CCCCCCCC',
  'c1ccncc1',
  'CC#N',
  'CCCO',
  'OCCO',
];

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-cli-molecules-'));
  const lines = [...MOLECULES.slice(0, 3), 'C1CC broken-ring', ...MOLECULES.slice(3)];
  fs.writeFileSync(path.join(cwd, 'mols.smi'), `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(cwd, 'bad.smi'), 'C1CC\nnot-a-molecule\nc1cccc1\n');
  const config = (file: string) =>
    JSON.stringify({ data: { name: 'smiles', path: file, testFraction: 0.2 }, model: { hiddenDim: 24, embeddingDim: 8 }, batchSize: 8 });
  fs.writeFileSync(path.join(cwd, 'mols.json'), config('mols.smi'));
  fs.writeFileSync(path.join(cwd, 'bad.json'), config('bad.smi'));
});

describe('latentkit molecules end to end', () => {
  it('trains a smiles-vae, samples SMILES with a molecule report, and designs molecules', () => {
    const train = cli('train', '--run', 'runs/mol', '--config', 'mols.json', '--model', 'smiles-vae', '--latent-dim', '4', '--epochs', '2', '--seed', '2');
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain('skipped 1 of 17 SMILES that RDKit cannot parse (line 4)');
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/mol/run.json'), 'utf8'));
    expect(spec.model).toMatchObject({ kind: 'smilesVae', hiddenDim: 24, bottleneck: { kind: 'gaussian', latentDim: 4 } });

    const sample = cli('sample', '--run', 'runs/mol', '-n', '30', '--out', 'samples.smi');
    expect(sample.code, sample.stderr).toBe(0);
    const smiles = fs.readFileSync(path.join(cwd, 'samples.smi'), 'utf8').split('\n').slice(0, -1);
    expect(smiles).toHaveLength(30);
    // An untrained-ish model writes SMILES-token strings: no spaces, no special tokens.
    for (const s of smiles) expect(s).not.toMatch(/\s|<eos>|<pad>|<bos>/);

    // A head in the run folder is used as is (no data folder needed); its weights only need the code width.
    const head = new PropertyHead('solubility', 4, ['logS'], { seed: 1 });
    fs.mkdirSync(path.join(cwd, 'runs/mol/heads'));
    head.save(path.join(cwd, 'runs/mol/heads/solubility.json'));
    const design = cli('optimize', '--run', 'runs/mol', '--property', 'solubility', '--n', '12', '--steps', '20', '--out', 'designed.smi');
    expect(design.code, design.stderr).toBe(0);
    expect(fs.readFileSync(path.join(cwd, 'designed.smi'), 'utf8').split('\n').slice(0, -1)).toHaveLength(12);
    expect(design.stdout).toContain('| predicted logS at the code |');
    const summary = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/mol/design-solubility.json'), 'utf8')).summary;
    expect(summary.designed.predictedAtCode).toBeGreaterThan(summary.prior.predictedAtCode);
    expect(cli('optimize', '--run', 'runs/mol', '--property', 'potency').code).toBe(2);
  }, 600_000);

  it('exits 3 on a molecule file with no valid SMILES', () => {
    const r = cli('train', '--run', 'runs/bad', '--config', 'bad.json', '--model', 'smiles-vae', '--epochs', '1');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/bad\.smi/);
  }, 300_000);

  it('conditions a smiles-vae on a CSV class column and samples the class asked for by name', () => {
    const aromatic = (m: string) => (/[a-z]/.test(m.replace(/Cl|Br/g, '')) ? 'aromatic' : 'aliphatic');
    fs.writeFileSync(path.join(cwd, 'kinds.csv'), `smiles,kind\n${[...MOLECULES, ...MOLECULES].map((m) => `${m},${aromatic(m)}`).join('\n')}\n`);
    // A smiles-vae on kinds.csv conditioned on `column`, in the run folder `run`.
    const trainOn = (run: string, column: string, ...flags: string[]) =>
      cli('train', '--run', run, '--data', 'kinds.csv', '--format', 'smiles', '--model', 'smiles-vae', '--condition', column, ...flags);
    const train = trainOn('runs/cond', 'kind', '--latent-dim', '4', '--epochs', '2', '--seed', '3');
    expect(train.code, train.stderr).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/cond/run.json'), 'utf8'));
    expect(spec.model.condition).toEqual({ classes: 2, source: 'kind', names: ['aliphatic', 'aromatic'] });
    const draw = (kind: string, out: string) => {
      const r = cli('sample', '--run', 'runs/cond', '-n', '20', '--class', kind, '--seed', '5', '--out', out);
      expect(r.code, r.stderr).toBe(0);
      return fs.readFileSync(path.join(cwd, out), 'utf8').split('\n').slice(0, -1);
    };
    const [a, b] = [draw('aromatic', 'aromatic.smi'), draw('aliphatic', 'aliphatic.smi')];
    expect(a).toHaveLength(20);
    // Same seed, same prior draws: only the class differs, and the decoder reads it.
    expect(a).not.toEqual(b);
    // A latent walk between two held-out molecules prints SMILES, atoms joined as the SMILES VAE spells them.
    const walk = cli('sample', '--run', 'runs/cond', '--interpolate', '0', '1', '--steps', '4');
    expect(walk.code, walk.stderr).toBe(0);
    const lines = walk.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toMatch(/\s/);
    const unknown = cli('sample', '--run', 'runs/cond', '-n', '2', '--class', 'metallic');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('one of "aliphatic", "aromatic", got "metallic"');
    const missing = trainOn('runs/cond2', 'colour', '--epochs', '1');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('expected a label column "colour" in the header');
  }, 600_000);
});
