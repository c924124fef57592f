/**
 * Runs an experiment's variants × seeds through the latentkit CLI (train, then eval), one run folder each, and
 * collects the figures of each run's report.json. A finished run (report.json present, same settings) is reused and an
 * interrupted one is resumed, so a long experiment can be continued across sessions from its run folders.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRunLog } from '@latentkit/models';
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

/** The value of the last `flag` in a flag list (the CLI takes the last of a repeated flag), or undefined. */
export function lastFlag(args, flag) {
  const at = args.lastIndexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/**
 * The epoch count to train this time: the run's own (`--epochs` of its flags), or `maxEpochs` when smaller, so a
 * long run can be trained a few epochs per call and evaluated in between. undefined: the CLI's default, no cap.
 */
function targetEpochs(settings, maxEpochs, where) {
  const given = lastFlag(settings.train, '--epochs');
  const full = given === undefined ? undefined : Number(given);
  if (maxEpochs === undefined) return { full, target: full };
  if (full === undefined) throw new Error(`--max-epochs ${maxEpochs}: ${where} sets no --epochs of its own to cap; give its variant an --epochs flag`);
  return { full, target: Math.min(maxEpochs, full) };
}

/**
 * A run's training log as models' `readRunLog` reads it (a truncated last line skipped, the records a resume
 * repeated kept once); no records when there is no log yet.
 */
function runLog(dir) {
  const file = path.join(dir, 'log.jsonl');
  return fs.existsSync(file) ? readRunLog(file).records : [];
}

/**
 * Each validation's figures by epoch, for the experiment's `curves` (e.g. the KL term, to show a collapse): the
 * last validation of each epoch, read from the run's training log. `{ kl: [[1, 27.8], [2, 29.5]] }`.
 */
function validationCurves(records, curves = []) {
  if (curves.length === 0) return undefined;
  const byEpoch = new Map(records.filter((r) => r.type === 'valid').map((r) => [r.epoch, r]));
  return Object.fromEntries(curves.map((c) => [c.key, [...byEpoch].map(([epoch, r]) => [epoch, c.value(r)])]));
}

/** The training log's last stop record: the epoch and step training reached, and why it stopped. */
function lastStop(records) {
  const stop = records.filter((r) => r.type === 'stop').pop();
  return stop ? { epoch: stop.epoch, steps: stop.step, stopped: stop.reason } : {};
}

export function runVariant(experiment, variant, seed, scale, { runsDir, dataDir, maxEpochs, log = () => {} }) {
  const dir = path.join(runsDir, experiment.name, `${variant.name}-seed${seed}`);
  const settings = settingsOf(variant, seed, scale);
  const { full, target } = targetEpochs(settings, maxEpochs, `${experiment.name} variant ${variant.name}`);
  const settingsFile = path.join(dir, 'reproduce-settings.json');
  const reportFile = path.join(dir, 'report.json');
  const timesFile = path.join(dir, 'reproduce-times.json');
  const same = fs.existsSync(settingsFile) && fs.readFileSync(settingsFile, 'utf8') === JSON.stringify(settings);
  if (!same) fs.rmSync(dir, { recursive: true, force: true });
  // What earlier calls did: seconds so far and whether training has finished (the epoch reached is the training
  // log's). Files written before runs could be capped have no `complete`: those runs always finished.
  let status = same && fs.existsSync(timesFile) && fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(timesFile, 'utf8')) : null;
  let records = status ? runLog(dir) : [];
  const finished = status && (status.complete !== false || (target !== undefined && lastStop(records).epoch >= target));
  if (!finished) {
    const env = { ...process.env, LATENTKIT_DATA_DIR: dataDir };
    const logFile = `${dir}.log`;
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const epochs = target === undefined ? [] : ['--epochs', String(target)];
    const trainArgs = ['train', '--data', experiment.data, '--seed', String(seed), '--run', dir, ...settings.train, ...(maxEpochs === undefined ? [] : epochs)];
    if (variant.config) {
      const configFile = `${dir}.config.json`;
      fs.writeFileSync(configFile, JSON.stringify(variant.config, null, 2));
      trainArgs.push('--config', configFile);
    }
    const resume = same && fs.existsSync(path.join(dir, 'run.json'));
    log(`${experiment.name}: ${resume ? 'resuming' : 'training'} ${variant.name}, seed ${seed}${maxEpochs === undefined ? '' : `, to epoch ${target}`}`);
    // Written before training, so a run stopped halfway resumes from its checkpoint instead of starting over.
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify(settings));
    // A resume always names the epoch count: a capped call left the cap in run.json.
    const trainSeconds = runCli(resume ? ['train', '--resume', dir, ...epochs] : trainArgs, logFile, env);
    records = runLog(dir);
    const reached = lastStop(records);
    const evalSeconds = runCli(['eval', '--run', dir, ...settings.eval], logFile, env);
    // Capped: all epochs of this call done, fewer than the run's own. Early stopping and --max-steps finish a run.
    const complete = !(reached.stopped === 'completed' && full !== undefined && reached.epoch < full);
    status = { trainSeconds: (status?.trainSeconds ?? 0) + trainSeconds, evalSeconds, complete };
    fs.writeFileSync(timesFile, JSON.stringify(status));
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const { trainSeconds, evalSeconds, complete = true } = status;
  const { epoch = null, steps = null, stopped = null } = lastStop(records);
  const curves = validationCurves(records, experiment.curves);
  return {
    seed,
    dir: path.relative(repoRoot, dir),
    trainSeconds,
    evalSeconds,
    epoch,
    steps,
    stopped,
    complete,
    figures: experiment.figures(report),
    ...(curves && { curves }),
  };
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
  return { experiment: experiment.name, scale: scaleName, seeds, maxEpochs: options.maxEpochs ?? null, wallSeconds: (Date.now() - started) / 1000, rows };
}
