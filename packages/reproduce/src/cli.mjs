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

const usage = `usage: pnpm reproduce <${Object.keys(experiments).join('|')}|all> [options]

Trains and evaluates every variant × seed of an experiment through the latentkit CLI, one run folder each (finished
runs are reused, interrupted ones resumed), and writes results/<experiment>.json and its section of docs/results.md.

  --mini             the seconds-long miniature the tests run (writes *.mini.json and docs/results.mini.md)
  --seeds 1,2,3      seeds to run (default: the experiment's own list)
  --variants a,b     only these variants (default: all of them)
  --runs <dir>       where the run folders go (default: <out>/runs-reproduce)
  --out <dir>        where results/ and docs/ are written (default: the repository root)
  --data-dir <dir>   the shared data folder (default: $LATENTKIT_DATA_DIR, else ../shared/data)
  --max-epochs <n>   train each run at most to epoch n in this call and evaluate it there; a later call with a
                     larger cap (or none) continues it from its checkpoint (default: no cap)
  -h, --help         this text`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      mini: { type: 'boolean', default: false },
      seeds: { type: 'string' },
      variants: { type: 'string' },
      runs: { type: 'string' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      'max-epochs': { type: 'string' },
    },
  });
} catch (error) {
  console.error(`${error.message}\n\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const which = positionals[0];
if (!which || !(which === 'all' || which in experiments)) {
  console.error(`${which ? `unknown experiment "${which}"` : 'no experiment named'}\n\n${usage}`);
  process.exit(2);
}
const maxEpochs = values['max-epochs'] === undefined ? undefined : Number(values['max-epochs']);
if (maxEpochs !== undefined && !(Number.isInteger(maxEpochs) && maxEpochs > 0)) {
  console.error(`--max-epochs: expected a positive whole number of epochs, got "${values['max-epochs']}"\n\n${usage}`);
  process.exit(2);
}
const out = path.resolve(values.out ?? repoRoot);
const runsDir = path.resolve(values.runs ?? path.join(out, 'runs-reproduce'));
const sharedDataDir = path.resolve(values['data-dir'] ?? process.env.LATENTKIT_DATA_DIR ?? path.join(repoRoot, '../shared/data'));
const scale = values.mini ? 'mini' : 'full';
if (values.seeds !== undefined && !values.seeds.split(',').every((x) => /^\s*\d+\s*$/.test(x))) {
  console.error(`--seeds must be a comma-separated list of non-negative integers, got "${values.seeds}"`);
  process.exit(2);
}
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
