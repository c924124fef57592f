/**
 * Runs an experiment's variants × seeds through the latentkit CLI (train, then eval), one run folder each, and
 * collects the figures of each run's report.json. A finished run (report.json present, same settings) is reused and an
 * interrupted one is resumed, so a long experiment can be continued across sessions from its run folders.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { meanSd } from './stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const cliBin = path.join(repoRoot, 'apps/cli/dist/bin.js');

function runCli(args, logFile, env) {
  const started = process.hrtime.bigint();
  try {
    const out = execFileSync(process.execPath, [cliBin, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    fs.appendFileSync(logFile, `$ latentkit ${args.join(' ')}\n${out}`);
  } catch (error) {
    fs.appendFileSync(logFile, `$ latentkit ${args.join(' ')}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw new Error(`latentkit ${args.join(' ')} failed (exit ${error.status}); see ${logFile}:\n${String(error.stderr ?? '').slice(-2000)}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The settings of one run, as recorded next to it: a changed setting means a new run, not a reused one. */
function settingsOf(variant, seed, scale) {
  return { train: [...variant.train, ...(scale.train ?? [])], config: variant.config ?? null, eval: scale.eval, seed };
}

export function runVariant(experiment, variant, seed, scale, { runsDir, dataDir, log = () => {} }) {
  const dir = path.join(runsDir, experiment.name, `${variant.name}-seed${seed}`);
  const settings = settingsOf(variant, seed, scale);
  const settingsFile = path.join(dir, 'reproduce-settings.json');
  const reportFile = path.join(dir, 'report.json');
  const same = fs.existsSync(settingsFile) && fs.readFileSync(settingsFile, 'utf8') === JSON.stringify(settings);
  if (!same) fs.rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, LATENTKIT_DATA_DIR: dataDir };
  const logFile = `${dir}.log`;
  let trainSeconds = 0;
  let evalSeconds = 0;
  if (!(same && fs.existsSync(reportFile))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const trainArgs = ['train', '--data', experiment.data, '--seed', String(seed), '--run', dir, ...settings.train];
    if (variant.config) {
      const configFile = `${dir}.config.json`;
      fs.writeFileSync(configFile, JSON.stringify(variant.config, null, 2));
      trainArgs.push('--config', configFile);
    }
    const resume = same && fs.existsSync(path.join(dir, 'run.json'));
    log(`${experiment.name}: ${resume ? 'resuming' : 'training'} ${variant.name}, seed ${seed}`);
    // Written before training, so a run stopped halfway resumes from its checkpoint instead of starting over.
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify(settings));
    trainSeconds = runCli(resume ? ['train', '--resume', dir] : trainArgs, logFile, env);
    evalSeconds = runCli(['eval', '--run', dir, ...settings.eval], logFile, env);
    fs.writeFileSync(path.join(dir, 'reproduce-times.json'), JSON.stringify({ trainSeconds, evalSeconds }));
  } else {
    ({ trainSeconds, evalSeconds } = JSON.parse(fs.readFileSync(path.join(dir, 'reproduce-times.json'), 'utf8')));
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  return { seed, dir: path.relative(repoRoot, dir), trainSeconds, evalSeconds, figures: experiment.figures(report) };
}

/** Every variant of the experiment at this scale, figures summarised as mean ± sd over the seeds. */
export function runExperiment(experiment, scaleName, options) {
  const scale = experiment.scales[scaleName];
  if (!scale) throw new Error(`experiment ${experiment.name} has no "${scaleName}" scale (it has ${Object.keys(experiment.scales).join(', ')})`);
  const seeds = options.seeds ?? scale.seeds;
  const wanted = options.variants;
  const variants = experiment.variants.filter((v) => !wanted || wanted.includes(v.name));
  const started = Date.now();
  const rows = variants.map((variant) => {
    const runs = seeds.map((seed) => runVariant(experiment, variant, seed, scale, options));
    const names = Object.keys(runs[0]?.figures ?? {});
    const summary = Object.fromEntries(names.map((n) => [n, meanSd(runs.map((r) => r.figures[n]))]));
    return { variant: variant.name, label: variant.label, paper: variant.paper ?? null, settings: variant.settings, summary, runs };
  });
  return { experiment: experiment.name, scale: scaleName, seeds, wallSeconds: (Date.now() - started) / 1000, rows };
}
