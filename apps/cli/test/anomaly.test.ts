/**
 * Anomaly detection through the spawned CLI: train --normal on a CSV, score a file (per-record scores, a flag from
 * the threshold calibrated on held-out normal rows, saved in the run), missing cells in scored rows, the error
 * paths (columns that differ from training: exit 3 naming them; --fpr outside (0, 1): exit 2), eval --anomaly-normal
 * on a run trained on every class (exit 2), and a timestamp,value series trained with --window and scored per reading.
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

function readCsv(name: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(path.join(cwd, name), 'utf8').trim().split('\n');
  const keys = (head as string).split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
}

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-cli-anomaly-'));
  // Normal rows: a, b ≈ N(0, 1) with b ≈ a; anomalies: b = −a + 6 (far off the line). Deterministic pseudo-noise.
  const noise = (i: number, k: number) => Math.sin(i * 12.9898 + k * 78.233) * 0.5;
  const rows = ['a,b,kind'];
  for (let i = 0; i < 400; i++) {
    const a = Math.sin(i * 0.37) * 1.5 + noise(i, 1);
    rows.push(`${a.toFixed(3)},${(a + noise(i, 2) * 0.3).toFixed(3)},ok`);
  }
  for (let i = 0; i < 40; i++) {
    const a = Math.sin(i) * 1.5;
    rows.push(`${a.toFixed(3)},${(-a + 6).toFixed(3)},bad`);
  }
  write('rows.csv', `${rows.join('\n')}\n`);
  write('gaps.csv', 'a,b,kind\n0.5,,ok\n,1.0,ok\n0.2,0.1,bad\n');
  write('missing-col.csv', 'a,kind\n0.5,ok\n');
  write('extra-col.csv', 'a,b,c,kind\n0.5,0.4,1,ok\n');
  // A series: a sine with a burst of noise in readings 200–219 (the labelled window).
  const series = ['timestamp,value'];
  for (let i = 0; i < 300; i++) {
    const t = new Date(Date.UTC(2024, 0, 1, 0, i * 5)).toISOString().slice(0, 19).replace('T', ' ');
    series.push(`${t},${(Math.sin(i / 6) + (i >= 200 && i < 220 ? 3 * noise(i, 3) + 2 : 0)).toFixed(4)}`);
  }
  write('series.csv', `${series.join('\n')}\n`);
  write('windows.json', JSON.stringify([['2024-01-01 16:40:00', '2024-01-01 18:15:00']]));
});

describe('anomaly detection through the CLI', () => {
  it('trains on the normal rows only, scores a file with a calibrated flag, and reuses the saved calibration', () => {
    const train = cli(
      'train',
      '--data',
      'rows.csv',
      '--label-column',
      'kind',
      '--normal',
      'ok',
      '--model',
      'tabular',
      '--latent-dim',
      '2',
      '--epochs',
      '15',
      '--run',
      'runs/a',
    );
    expect(train.stderr).toContain('completed after');
    expect(train.code).toBe(0);
    // 400 normal rows: 80 test, 32 valid, 288 train; the 40 anomalies are all in the test split.
    expect(train.stderr).toMatch(/288 train, 32 valid, 120 test/);
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/a/run.json'), 'utf8'));
    expect(spec.data.normal).toEqual(['ok']);

    const score = cli('score', '--run', 'runs/a', '--input', 'rows.csv', '--out', 'scores.csv', '--fpr', '0.1', '--importance-samples', '10');
    expect(score.code, score.stderr).toBe(0);
    expect(score.stderr).toMatch(/calibrating the negImportanceWeighted threshold at FPR 0.1 on 32 held-out normal records/);
    const rows = readCsv('scores.csv');
    expect(rows).toHaveLength(440);
    expect(Object.keys(rows[0] as object)).toEqual(['record', 'reconstruction_error', 'neg_elbo', 'iw_nll', 'flag', 'anomaly']);
    for (const r of rows) for (const k of ['reconstruction_error', 'neg_elbo', 'iw_nll']) expect(Number.isFinite(Number(r[k]))).toBe(true);
    const calibration = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/a/anomaly-calibration.json'), 'utf8')).calibrations[0];
    expect(calibration).toMatchObject({ scoreKind: 'negImportanceWeighted', fpr: 0.1, n: 32 });
    // The flag is exactly "IW NLL above the saved threshold".
    for (const r of rows) expect(r.flag).toBe(Number(r.iw_nll) > calibration.threshold ? '1' : '0');
    // Anomalies are far off the normal line: the IW NLL ranks them well above the normal rows.
    const auroc = Number(/negImportanceWeighted: AUROC ([\d.]+)/.exec(score.stderr)?.[1]);
    expect(auroc).toBeGreaterThan(0.9);
    const html = fs.readFileSync(path.join(cwd, 'runs/a/report.html'), 'utf8');
    expect(html).toContain('Anomaly scores (latentkit score)');
    expect(html).toContain('<svg');

    const again = cli('score', '--run', 'runs/a', '--input', 'gaps.csv', '--out', 'gaps-scores.csv', '--fpr', '0.1', '--importance-samples', '10');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('calibrating');
    // Missing cells are marginalised: finite scores, no crash.
    const gaps = readCsv('gaps-scores.csv');
    expect(gaps).toHaveLength(3);
    for (const r of gaps) expect(Number.isFinite(Number(r.iw_nll))).toBe(true);
  });

  it('refuses a scored file whose columns differ (exit 3, naming them) and an --fpr outside (0, 1) (exit 2)', () => {
    const missing = cli('score', '--run', 'runs/a', '--input', 'missing-col.csv', '--out', 'x.csv');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/missing "b"/);
    const extra = cli('score', '--run', 'runs/a', '--input', 'extra-col.csv', '--out', 'x.csv');
    expect(extra.code).toBe(3);
    expect(extra.stderr).toMatch(/extra "c"/);
    for (const fpr of ['0', '1']) {
      const bad = cli('score', '--run', 'runs/a', '--input', 'rows.csv', '--out', 'x.csv', '--fpr', fpr);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--fpr must be a false-positive rate strictly between 0 and 1/);
    }
  });

  it('eval --anomaly-normal refuses a run trained on every class (exit 2)', () => {
    const train = cli('train', '--data', 'rows.csv', '--label-column', 'kind', '--model', 'tabular', '--latent-dim', '2', '--epochs', '1', '--run', 'runs/all');
    expect(train.code).toBe(0);
    const ev = cli('eval', '--run', 'runs/all', '--anomaly-normal', 'ok');
    expect(ev.code).toBe(2);
    expect(ev.stderr).toMatch(/trained on every class, anomalies included.*--normal ok/);
  });

  it('trains on windows of a timestamp,value series and scores every reading', () => {
    const train = cli('train', '--data', 'series.csv', '--window', '16', '--stride', '2', '--latent-dim', '3', '--epochs', '10', '--run', 'runs/s');
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'runs/s/series.json'), 'utf8'))).toMatchObject({ window: 16, stride: 2 });
    const wrong = cli('score', '--run', 'runs/s', '--input', 'series.csv', '--out', 's.csv', '--window', '8');
    expect(wrong.code).toBe(2);
    const score = cli(
      'score',
      '--run',
      'runs/s',
      '--input',
      'series.csv',
      '--out',
      's.csv',
      '--fpr',
      '0.05',
      '--importance-samples',
      '5',
      '--label-windows',
      'windows.json',
    );
    expect(score.code, score.stderr).toBe(0);
    const rows = readCsv('s.csv');
    expect(rows).toHaveLength(300);
    expect(rows[0]?.timestamp).toBe('2024-01-01 00:00:00');
    // Readings 200–219 are the labelled window (16:40 to 18:15 at 5 minutes a reading).
    expect(rows.filter((r) => r.anomaly === '1').map((r) => r.timestamp)).toEqual(rows.slice(200, 220).map((r) => r.timestamp));
    expect(fs.readFileSync(path.join(cwd, 'runs/s/report.html'), 'utf8')).toContain('flagged readings');
  });
});
