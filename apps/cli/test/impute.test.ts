/**
 * `latentkit impute` through the spawned CLI: a tabular run trained on a small CSV fills the holes of a new file,
 * writing the observed cells back as they were; bad columns exit 3 naming them, bad flags exit 2.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
let cwd: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const write = (name: string, content: string) => fs.writeFileSync(path.join(cwd, name), content);
// The files here hold no quotes or commas inside cells, so a split is a CSV parse.
const readCsv = (name: string): string[][] =>
  fs
    .readFileSync(path.join(cwd, name), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));

// New rows with holes: -200 (the run's marker) and empty cells, in every column type.
// `when` was left out of training (--ignore-columns) and is written back as it was.
const HOLES = [
  'id,when,x,y,colour,flag',
  'a,2004-03-10 18.00.00,1.5,-200,red,yes',
  'b,2004-03-10 19.00.00,-200,2.25,,no',
  'c,,-0.125,-0.3,green,',
  'd,2004-03-10 21.00.00,-200,-200,-200,-200',
  'e,10/03/2004,0.7,1.4,blue,yes',
];

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-cli-impute-'));
  // 400 rows: y ≈ 2x, colour follows x's sign, flag alternates; a few -200 gaps.
  const rows = ['id,when,x,y,colour,flag'];
  for (let i = 0; i < 400; i++) {
    const x = Math.sin(i * 1.7) * 2;
    const y = 2 * x + 0.05 * Math.cos(i * 3.1);
    rows.push(`r${i},t${i},${i % 23 === 0 ? '-200' : x.toFixed(3)},${y.toFixed(3)},${x > 0 ? 'red' : i % 2 ? 'green' : 'blue'},${i % 2 ? 'yes' : 'no'}`);
  }
  write('table.csv', `${rows.join('\n')}\n`);
  write('holes.csv', `${HOLES.join('\n')}\n`);
  write('wrong.csv', 'id,when,x,colour,flag,extra\na,t,1,red,yes,3\n');
  const train = cli(
    'train',
    '--data',
    'table.csv',
    '--missing',
    '-200',
    '--id-column',
    'id',
    '--ignore-columns',
    'when',
    '--model',
    'tabular',
    '--latent-dim',
    '2',
    '--epochs',
    '3',
    '--run',
    'runs/t',
  );
  if (train.code !== 0) throw new Error(`training failed: ${train.stderr}`);
});

describe('latentkit impute', () => {
  it('fills every hole and writes the observed cells back unchanged, for each method', () => {
    for (const method of ['single', 'gibbs', 'mwg', 'miwae']) {
      const out = cli(
        'impute',
        '--run',
        'runs/t',
        '--input',
        'holes.csv',
        '--out',
        `filled-${method}.csv`,
        '--method',
        method,
        '--iterations',
        '4',
        '--importance-samples',
        '10',
      );
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toContain(`wrote 5 rows with 8 imputed cells`);
      const got = readCsv(`filled-${method}.csv`);
      const want = HOLES.map((line) => line.split(','));
      expect(got[0]).toEqual(want[0]);
      expect(got).toHaveLength(want.length);
      for (let r = 1; r < want.length; r++) {
        for (let j = 0; j < 6; j++) {
          const cell = (want[r] as string[])[j] as string;
          const filled = (got[r] as string[])[j] as string;
          if (j === 1 || (cell !== '' && cell !== '-200')) expect(filled, `${method} row ${r} column ${j}`).toBe(cell);
          else if (j <= 3)
            expect(Number.isFinite(Number(filled)) && filled !== '' && filled !== '-200', `${method} row ${r} column ${j}: ${filled}`).toBe(true);
          else if (j === 4) expect(['red', 'green', 'blue']).toContain(filled);
          else expect(['yes', 'no']).toContain(filled);
        }
      }
    }
  });

  it('--draws adds a standard deviation column per numeric column, 0 where the cell was observed; a seed reproduces', () => {
    const args = ['impute', '--run', 'runs/t', '--input', 'holes.csv', '--method', 'miwae', '--draws', '5', '--importance-samples', '20', '--seed', '3'];
    expect(cli(...args, '--out', 'draws.csv').code).toBe(0);
    expect(cli(...args, '--out', 'again.csv').code).toBe(0);
    const got = readCsv('draws.csv');
    expect(got[0]).toEqual(['id', 'when', 'x', 'y', 'colour', 'flag', 'x_sd', 'y_sd']);
    expect(got[1]?.slice(6)).toEqual(['0', (got[1] as string[])[7]]);
    expect(Number((got[1] as string[])[7])).toBeGreaterThan(0);
    expect(Number((got[4] as string[])[6])).toBeGreaterThan(0);
    expect((got[5] as string[]).slice(6)).toEqual(['0', '0']);
    expect(fs.readFileSync(path.join(cwd, 'again.csv'), 'utf8')).toBe(fs.readFileSync(path.join(cwd, 'draws.csv'), 'utf8'));
  });

  it('a file whose columns differ from the training schema exits 3 naming the missing and extra columns, writing nothing', () => {
    const out = cli('impute', '--run', 'runs/t', '--input', 'wrong.csv', '--out', 'never.csv');
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('wrong.csv: expected the training columns (x, y, colour, flag), got missing "y"; extra "extra"');
    expect(fs.existsSync(path.join(cwd, 'never.csv'))).toBe(false);
  });

  it('explains every flag with --help', () => {
    const help = cli('impute', '--help');
    expect(help.code).toBe(0);
    for (const f of ['--run', '--input', '--out', '--method', '--iterations', '--draws', '--importance-samples', '--batch-size', '--seed'])
      expect(help.stdout).toContain(f);
    expect(help.stdout).toContain('Metropolis-within-Gibbs');
  });

  it('bad flags exit 2: an unknown --method, --draws 0, an --out that is not .csv or .tsv', () => {
    const method = cli('impute', '--run', 'runs/t', '--input', 'holes.csv', '--out', 'x.csv', '--method', 'magic');
    expect(method.code).toBe(2);
    expect(method.stderr).toMatch(/--method.*magic.*single, gibbs, mwg, miwae|Allowed choices are single, gibbs, mwg, miwae/);
    const draws = cli('impute', '--run', 'runs/t', '--input', 'holes.csv', '--out', 'x.csv', '--draws', '0');
    expect(draws.code).toBe(2);
    expect(draws.stderr).toContain('--draws must be an integer ≥ 1, got "0"');
    const out = cli('impute', '--run', 'runs/t', '--input', 'holes.csv', '--out', 'x.json');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--out');
    expect(fs.existsSync(path.join(cwd, 'x.csv'))).toBe(false);
  });
});
