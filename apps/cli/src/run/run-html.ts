/**
 * report.html of a run, rebuilt from what the folder holds: run.json, log.jsonl, report.json, parity.json, the
 * pictures and the text samples. One self-contained file with labelled numbers (see html-report.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@latentkit/core';
import { type EvaluationReport, formatNumber, reportEntries } from '@latentkit/eval';
import { readRunLog } from '@latentkit/models';
import { termCurvesSvg } from '../visual/charts.js';
import { curvePanels, curvesCaption } from '../visual/curves.js';
import { anomalySection } from '../visual/anomaly-section.js';
import { type ReportSection, reportHtml } from '../visual/html-report.js';
import { type RunSpec, readRunSpec, runPaths } from './run-folder.js';
import type { TextSamples, TopWords } from './text-samples.js';

const readJson = <T = Record<string, unknown>>(file: string): T | undefined =>
  fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;

/** A setting's value for people: numbers formatted, nested options as "name value, …" in parentheses. */
function settingText(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(settingText).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const { kind, ...rest } = v as Record<string, unknown>;
    const inner = Object.entries(rest)
      .map(([k, x]) => `${k} ${settingText(x)}`)
      .join(', ');
    return kind !== undefined ? `${settingText(kind)}${inner ? ` (${inner})` : ''}` : `(${inner})`;
  }
  return String(v);
}

/** The run's settings as people name them. */
export function runSettings(spec: RunSpec): Record<string, unknown> {
  const t = spec.trainer;
  return {
    data: spec.data.name + (spec.data.path ? ` (${spec.data.path})` : ''),
    model: spec.model.kind,
    bottleneck: settingText(spec.model.bottleneck),
    'batch size': spec.batchSize,
    optimizer: `${t.optimizer.kind}, learning rate ${formatNumber(t.optimizer.learningRate)}`,
    epochs: t.epochs,
    'max steps': t.maxSteps ?? undefined,
    'data seed': spec.data.seed,
    'training seed': t.seed,
  };
}

/** What the training log says: steps, epochs, how it stopped, the last validation. */
function trainingSummary(records: readonly Record<string, unknown>[]): Record<string, unknown> {
  const steps = records.filter((r) => r.type === 'step');
  const stop = [...records].reverse().find((r) => r.type === 'stop');
  const valid = [...records].reverse().find((r) => r.type === 'valid');
  const first = steps[0]?.time as string | undefined;
  const last = (stop?.time ?? steps.at(-1)?.time) as string | undefined;
  return {
    'optimizer steps': steps.length ? (steps.at(-1)?.step as number) : undefined,
    stopped: stop ? String(stop.reason) : 'still running or killed',
    'training time': first && last ? `${formatNumber((Date.parse(last) - Date.parse(first)) / 1000, 3)} s` : undefined,
    'last validation loss': typeof valid?.loss === 'number' ? `${formatNumber(valid.loss)} nats/example` : undefined,
    'last validation perplexity': typeof valid?.perplexity === 'number' && Number.isFinite(valid.perplexity) ? valid.perplexity : undefined,
  };
}

function evaluationSections(report: EvaluationReport): ReportSection[] {
  const groups = new Map<string, ReturnType<typeof reportEntries>>();
  for (const e of reportEntries(report)) groups.set(e.group, [...(groups.get(e.group) ?? []), e]);
  return [...groups].map(([group, entries]) => ({
    id: `eval-${group.toLowerCase().replace(/[^a-z]+/g, '-')}`,
    title: `Evaluation: ${group.toLowerCase()}`,
    rows: entries.map((e) => ({ label: e.label, text: e.text, note: e.note })),
  }));
}

function textSections(samples: TextSamples | undefined, words: TopWords | undefined): ReportSection[] {
  const out: ReportSection[] = [];
  if (samples) {
    out.push({
      id: 'text-reconstructions',
      title: 'Held-out sentences and their reconstructions',
      intro: 'Each held-out sentence is encoded and decoded greedily from its code; a good code brings the sentence (or one close to it) back.',
      tables: [
        {
          caption: 'held-out sentence → greedy reconstruction',
          header: ['held-out', 'reconstruction'],
          rows: samples.reconstructions.map((r) => [r.original, r.reconstruction]),
        },
      ],
    });
    out.push({
      id: 'text-samples',
      title: 'Sentences sampled from the prior',
      intro: 'Codes drawn from the prior (or codebook), decoded by sampling each word; a lower temperature gives safer, more repetitive sentences.',
      lists: samples.samples.map((s) => ({ caption: `temperature ${s.temperature}`, items: s.sentences })),
    });
    if (samples.interpolation)
      out.push({
        id: 'text-interpolation',
        title: 'Interpolation between two held-out sentences',
        intro:
          'Five points on the line between the two sentences’ codes, each decoded greedily: a smooth latent space changes the sentence a little at a time.',
        lists: [{ caption: `from “${samples.interpolation.from}” to “${samples.interpolation.to}”`, items: samples.interpolation.path }],
      });
  }
  if (words)
    out.push({
      id: 'top-words',
      title: 'Top words of each latent direction',
      intro:
        'The words whose probability rises most (and falls most) when the code moves two standard deviations along one latent dimension from the mean held-out code.',
      tables: [
        {
          caption: 'latent dimension: words raised / lowered',
          header: ['dimension', 'raised', 'lowered'],
          rows: words.directions.map((d) => [`z${d.dim}`, d.up.join(' '), d.down.join(' ')]),
        },
      ],
    });
  return out;
}

export async function writeRunHtml(dir: string): Promise<string> {
  const paths = runPaths(dir);
  const spec = await readRunSpec(dir);
  const records = fs.existsSync(paths.log) ? (readRunLog(paths.log).records as unknown as Record<string, unknown>[]) : [];
  const sections: ReportSection[] = [{ id: 'run', title: 'Run', numbers: runSettings(spec) }];
  if (records.length) {
    const panels = curvePanels(records);
    sections.push({
      id: 'training',
      title: 'Training',
      numbers: trainingSummary(records),
      svgs: panels.length ? [{ svg: await termCurvesSvg(panels), caption: curvesCaption(panels) }] : [],
    });
  }
  const report = readJson<EvaluationReport>(paths.report);
  if (report) sections.push(...evaluationSections(report));
  const parity = readJson<{ code: number; latent: number; logits: number; examples: number; tolerance: number; ok: boolean }>(paths.parity);
  if (parity)
    sections.push({
      id: 'onnx',
      title: 'ONNX export',
      rows: [
        { label: 'codes', text: formatNumber(parity.code, 2), note: 'max |ONNX − tfjs| of the encoder’s code' },
        { label: 'latents', text: formatNumber(parity.latent, 2), note: 'max |ONNX − tfjs| of the pre-quantization latent' },
        { label: 'decoder outputs', text: formatNumber(parity.logits, 2), note: 'max |ONNX − tfjs| of the decoder’s logits' },
        {
          label: 'verdict',
          text: parity.ok ? 'within tolerance' : 'ABOVE tolerance',
          note: `tolerance ${formatNumber(parity.tolerance)} on ${parity.examples} held-out examples`,
        },
      ],
    });
  sections.push(...textSections(readJson<TextSamples>(paths.textSamples), readJson<TopWords>(paths.topWords)));
  const images = [
    { file: paths.reconstructions, caption: 'Held-out images (odd rows) and their reconstructions (even rows)' },
    { file: paths.samples, caption: 'Samples decoded from the prior or codebook' },
  ].filter((im) => fs.existsSync(im.file));
  const svgs = [{ file: paths.scatter, caption: 'Latent codes of held-out examples, first two principal components, coloured by label' }]
    .filter((g) => fs.existsSync(g.file))
    .map((g) => ({ svg: fs.readFileSync(g.file, 'utf8'), caption: g.caption }));
  const anomaly = anomalySection(dir);
  if (anomaly) sections.push(anomaly);
  if (images.length || svgs.length) sections.push({ id: 'pictures', title: 'Pictures', images, svgs });
  writeFileAtomic(
    paths.html,
    reportHtml(`latentkit run ${path.basename(paths.root)}`, sections, {
      baseDir: paths.root,
      subtitle: `${spec.model.kind} with a ${spec.model.bottleneck.kind} bottleneck on ${spec.data.name}`,
    }),
  );
  return paths.html;
}
