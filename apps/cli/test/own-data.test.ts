/**
 * The user's own files through the spawned CLI: a generated CSV is inspected, trained on with --model tabular,
 * encoded as new data through the run's saved preprocessing and exported with that preprocessing in the ONNX
 * metadata; bad files exit 3 naming the file, the line and the column.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
let cwd: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const write = (name: string, content: string | Uint8Array) => fs.writeFileSync(path.join(cwd, name), content);

/** A .npy file with this dtype and shape header (and no check of its values: the dtype is refused first). */
function npy(descr: string, shape: string, body: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-cli-own-'));
  // 300 rows: x numeric (-200 = missing), colour categorical, flag binary, y the label.
  const rows = ['id;x;colour;flag;y'];
  for (let i = 0; i < 300; i++)
    rows.push(
      `r${i};${i % 17 === 0 ? '-200' : ((i % 50) / 10).toFixed(1).replace('.', ',')};${['red', 'green', 'blue'][i % 3]};${i % 2 ? 'yes' : 'no'};${i % 2}`,
    );
  write('table.csv', `${rows.join('\n')}\n`);
  // New rows: one unseen colour.
  write('new.csv', 'id;x;colour;flag;y\nn1;1,5;purple;yes;1\nn2;-200;red;no;0\nn3;2,0;green;yes;1\n');
  write('dropped.csv', 'id;colour;flag;extra\nn1;red;yes;5\n');
});

describe('your own data through the CLI', () => {
  it('inspects a file: columns, types and missing cells, as text and JSON', () => {
    const text = cli('data', 'inspect', 'table.csv', '--missing', '-200', '--label-column', 'y', '--id-column', 'id');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/table\.csv: csv, 300 rows, 5 columns/);
    expect(text.stdout).toMatch(/x\s+feature\s+numeric\s+18/);
    const json = JSON.parse(cli('data', 'inspect', 'table.csv', '--missing', '-200', '--json').stdout);
    expect(json.rowCount).toBe(300);
    expect(json.columns.find((c: { name: string }) => c.name === 'x').missing).toBe(18);
  });

  it('trains --model tabular on a CSV, saves the preprocessing, encodes new rows and exports with it', () => {
    const train = cli(
      'train',
      '--data',
      'table.csv',
      '--missing',
      '-200',
      '--label-column',
      'y',
      '--id-column',
      'id',
      '--model',
      'tabular',
      '--latent-dim',
      '3',
      '--epochs',
      '2',
      '--run',
      'runs/t',
    );
    expect(train.stderr).toContain('completed after');
    expect(train.code).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/t/run.json'), 'utf8'));
    expect(spec.data).toMatchObject({ name: 'files', path: path.join(cwd, 'table.csv'), options: { missing: [-200], labelColumn: 'y', idColumn: 'id' } });
    expect(spec.model.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(['x:numeric', 'colour:categorical', 'flag:binary']);
    const pre = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/t/preprocessing.json'), 'utf8'));
    expect(pre.format).toBe('latentkit-preprocessing');
    expect(pre.columns[1]).toEqual({ name: 'colour', type: 'categorical', categories: ['blue', 'green', 'red'] });

    const encoded = cli('encode', '--run', 'runs/t', '--input', 'new.csv', '--out', 'new-codes.csv');
    expect(encoded.code).toBe(0);
    expect(encoded.stderr).toContain('column "colour" has category "purple", not seen in training; mapped to the unknown slot');
    const lines = fs.readFileSync(path.join(cwd, 'new-codes.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('label,z0,z1,z2');

    // eval on the new rows: the report is about those 3 rows, and the run's own report is not touched.
    const evaluated = cli('eval', '--run', 'runs/t', '--input', 'new.csv', '--importance-samples', '5', '--json', '--out', 'new-report.json');
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(cwd, 'new-report.json'), 'utf8'));
    expect(report.data.testExamples).toBe(3);
    expect(Number.isFinite(report.likelihood.elbo)).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'runs/t/report.json'))).toBe(false);
    expect(cli('eval', '--run', 'runs/t', '--input', 'dropped.csv').code).toBe(3);

    const differ = cli('encode', '--run', 'runs/t', '--input', 'dropped.csv', '--out', 'x.csv');
    expect(differ.code).toBe(3);
    expect(differ.stderr).toContain('dropped.csv: expected the training columns (x, colour, flag), got missing "x"; extra "extra"');
    expect(fs.existsSync(path.join(cwd, 'x.csv'))).toBe(false);

    const exported = cli('export', '--run', 'runs/t');
    expect(exported.code).toBe(0);
    const onnx = fs.readFileSync(path.join(cwd, 'runs/t/onnx/encoder.onnx'));
    expect(onnx.includes(Buffer.from('latentkit.preprocessing'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'runs/t/parity.json'), 'utf8')).ok).toBe(true);
  });

  it('reads new text through the run vocabulary: encode and eval --input on a text run', () => {
    const words = ['the', 'cat', 'dog', 'sat', 'ran', 'on', 'mat', 'far'];
    const lines = Array.from({ length: 120 }, (_, i) => Array.from({ length: 3 + (i % 4) }, (_, j) => words[(i * 3 + j * 5) % words.length]).join(' '));
    write('sentences.txt', `${lines.join('\n')}\n`);
    write('text-config.json', JSON.stringify({ model: { hiddenDim: 16, embeddingDim: 8 } }));
    write('new-sentences.txt', 'the cat sat\n\nthe zebra ran far\n');
    const train = cli('train', '--data', 'sentences.txt', '--config', 'text-config.json', '--latent-dim', '4', '--epochs', '1', '--run', 'runs/text');
    expect(train.code).toBe(0);
    const encoded = cli('encode', '--run', 'runs/text', '--input', 'new-sentences.txt', '--out', 'text-codes.csv');
    expect(encoded.code).toBe(0);
    // two sentences (the blank line is skipped), "zebra" is <unk>
    expect(fs.readFileSync(path.join(cwd, 'text-codes.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    const evaluated = JSON.parse(cli('eval', '--run', 'runs/text', '--input', 'new-sentences.txt', '--importance-samples', '3', '--json').stdout);
    expect(evaluated.data.testExamples).toBe(2);
    expect(Number.isFinite(evaluated.likelihood.perplexity)).toBe(true);
    write('empty.txt', '\n\n');
    const empty = cli('encode', '--run', 'runs/text', '--input', 'empty.txt', '--out', 'e.csv');
    expect(empty.code).toBe(3);
    expect(empty.stderr).toMatch(/empty\.txt: expected at least one sentence/);
    // The walk between two sentences of a new file: 4 points, the ends included.
    const walk = cli('sample', '--run', 'runs/text', '--input', 'new-sentences.txt', '--interpolate', '0', '1', '--steps', '4');
    expect(walk.code).toBe(0);
    expect(walk.stdout.trim().split('\n')).toHaveLength(4);
    expect(cli('sample', '--run', 'runs/text', '--input', 'new-sentences.txt').code).toBe(2);
    // One sentence is not a path between two.
    const one = cli('sample', '--run', 'runs/text', '--interpolate', 'the cat sat');
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('--interpolate takes exactly 2 sentences, got 1');
  });

  it('bad files exit 3 with the file, the line and the column', () => {
    const cases: [string, string | Uint8Array, RegExp, string[]?][] = [
      ['fields.csv', 'a,b,c\n1,2,3\n4,5\n', /fields\.csv:3: expected 3 fields \(as in the header, delimiter ","\), got 2/],
      ['text.csv', 'a,b\n1,2\n3,oops\n', /text\.csv:3: expected a number \(the column is numeric\) in column "b", got "oops"/, ['--columns', 'numeric.json']],
      ['empty.csv', '', /empty\.csv: .*empty/i],
      ['header.csv', 'a,b,c\n', /header\.csv: expected at least one data row, got only a header/],
      ['complex.npy', npy('<c16', '(2,)', new Uint8Array(32)), /complex\.npy: expected a numeric or boolean dtype .*got dtype '<c16'/],
      [
        'hdf5.mat',
        (() => {
          const b = new Uint8Array(512);
          b.set(new TextEncoder().encode('MATLAB 7.3 MAT-file, Platform: GLNXA64'.padEnd(116, ' ')));
          b.set([0x00, 0x02, 0x49, 0x4d], 124);
          return b;
        })(),
        /hdf5\.mat: expected a MATLAB level-5 \.mat file \(version 0x0100\), got version 0x0200 \(v7\.3, HDF5\)/,
      ],
    ];
    write('numeric.json', JSON.stringify({ b: 'numeric' }));
    for (const [name, content, message, extra] of cases) {
      write(name, content);
      const r = cli('train', '--data', name, '--model', 'tabular', '--epochs', '1', '--run', `runs/bad-${name}`, ...(extra ?? []));
      expect(r.stderr, name).toMatch(message);
      expect(r.code, `${name}: ${r.stderr}`).toBe(3);
      expect(fs.existsSync(path.join(cwd, `runs/bad-${name}`)), name).toBe(false);
    }
  });

  it('a corrupt PNG in an image folder exits 3 naming the file', () => {
    fs.mkdirSync(path.join(cwd, 'images/cat'), { recursive: true });
    write('images/cat/broken.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2]));
    const r = cli('train', '--data', 'images', '--image-size', '8', '--epochs', '1', '--run', 'runs/bad-png');
    if (/install sharp|Cannot find (module|package) 'sharp'/.test(r.stderr)) {
      console.warn('skipping the corrupt-PNG check: the optional sharp package is not installed');
      return;
    }
    expect(r.stderr).toMatch(/broken\.png: expected a complete PNG or JPEG image/);
    expect(r.code).toBe(3);
  });

  it('trains image-conv on a folder of RGB PNGs resized to a non-square size, and encodes a new folder', () => {
    for (const [k, cls] of ['red', 'blue'].entries()) {
      fs.mkdirSync(path.join(cwd, 'rgb', cls), { recursive: true });
      for (let i = 0; i < 10; i++) {
        const png = new PNG({ width: 14, height: 10 });
        for (let p = 0; p < 140; p++) png.data.set([k === 0 ? 200 + i : 10, 40, k === 1 ? 200 + i : 10, 255], p * 4);
        write(`rgb/${cls}/${i}.png`, PNG.sync.write(png));
      }
    }
    const r = cli('train', '--data', 'rgb', '--image-size', '8x12', '--model', 'image-conv', '--latent-dim', '2', '--epochs', '1', '--run', 'runs/rgb');
    if (/install sharp|Cannot find (module|package) 'sharp'/.test(r.stderr)) {
      console.warn('skipping the image-folder run: the optional sharp package is not installed');
      return;
    }
    expect(r.code, r.stderr).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/rgb/run.json'), 'utf8'));
    expect(spec.model).toMatchObject({ kind: 'imageConv', height: 8, width: 12, channels: 3 });
    const encoded = cli('encode', '--run', 'runs/rgb', '--input', 'rgb', '--out', 'rgb-codes.csv');
    expect(encoded.code, encoded.stderr).toBe(0);
    expect(fs.readFileSync(path.join(cwd, 'rgb-codes.csv'), 'utf8').trim().split('\n')).toHaveLength(21);
  });
});
