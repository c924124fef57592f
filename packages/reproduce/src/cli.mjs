#!/usr/bin/env node
/**
 * pnpm reproduce <experiment>|all [--mini] [--seeds 1,2] [--variants a,b] [--max-epochs n] [--runs dir] [--out dir] [--data-dir dir]
 * Full runs are benchmarks (minutes to hours); --mini is the seconds-long miniature the tests run. --max-epochs trains
 * each run at most to that epoch in this call and evaluates it there; a later call with a larger cap (or none)
 * continues it from its checkpoint, so a run of days can be done in pieces.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { experiments } from './experiments/index.mjs';
import { writeJson, writeSection } from './results-page.mjs';
import { repoRoot, runExperiment } from './runner.mjs';
import { renderSection } from './section.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mini: { type: 'boolean', default: false },
    seeds: { type: 'string' },
    variants: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
    'data-dir': { type: 'string' },
    'max-epochs': { type: 'string' },
  },
});

const which = positionals[0];
if (!which || !(which === 'all' || which in experiments)) {
  console.error(`usage: pnpm reproduce <${Object.keys(experiments).join('|')}|all> [--mini] [--seeds 1,2,3] [--variants a,b] [--max-epochs n]`);
  process.exit(2);
}
const maxEpochs = values['max-epochs'] === undefined ? undefined : Number(values['max-epochs']);
if (maxEpochs !== undefined && !(Number.isInteger(maxEpochs) && maxEpochs > 0)) {
  console.error(`--max-epochs: expected a positive whole number of epochs, got "${values['max-epochs']}"`);
  process.exit(2);
}
const out = path.resolve(values.out ?? repoRoot);
const runsDir = path.resolve(values.runs ?? path.join(out, 'runs-reproduce'));
const sharedDataDir = path.resolve(values['data-dir'] ?? process.env.LATENTKIT_DATA_DIR ?? path.join(repoRoot, '../shared/data'));
const scale = values.mini ? 'mini' : 'full';
const list = (s) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

for (const experiment of which === 'all' ? Object.values(experiments) : [experiments[which]]) {
  const needed = path.resolve(sharedDataDir, experiment.needs);
  if (!fs.existsSync(needed)) {
    console.log(`${experiment.name}: skipped, ${needed} not found (set LATENTKIT_DATA_DIR)`);
    continue;
  }
  const prepare = experiment.scales[scale].prepareData;
  const dataDir = prepare ? prepare(path.join(runsDir, experiment.name, 'data'), sharedDataDir) : sharedDataDir;
  const seeds = list(values.seeds)?.map(Number);
  const result = runExperiment(experiment, scale, { runsDir, dataDir, seeds, variants: list(values.variants), maxEpochs, log: (m) => console.log(m) });
  const command = [
    'pnpm reproduce',
    experiment.name,
    values.mini ? '--mini' : '',
    seeds ? `--seeds ${seeds.join(',')}` : '',
    values.variants ? `--variants ${values.variants}` : '',
    maxEpochs ? `--max-epochs ${maxEpochs}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  writeJson(path.join(out, 'results', `${experiment.name}${values.mini ? '.mini' : ''}.json`), { ...result, command });
  const notesFile = path.join(repoRoot, 'docs', 'results-notes', `${experiment.name}.md`);
  const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8') : '';
  writeSection(path.join(out, 'docs', values.mini ? 'results.mini.md' : 'results.md'), experiment.name, renderSection(experiment, result, { command, notes }));
  for (const row of result.rows) {
    const figures = experiment.columns.map((c) => `${c.label} ${row.summary[c.key].mean?.toFixed(c.digits)}`).join(', ');
    const unfinished = row.runs.filter((r) => r.complete === false).map((r) => `seed ${r.seed} at epoch ${r.epoch}`);
    console.log(`${row.variant}: ${figures} (paper ${row.paper ?? '—'})${unfinished.length ? `; unfinished: ${unfinished.join(', ')}` : ''}`);
  }
}
