/**
 * The anomaly section of a run's report.html: what the last `score` of a file with known labels found (AUROC and
 * AUPRC per score, the calibrated threshold), its score histogram, ROC curves and, for a series, the signal with
 * flagged readings. `score` writes anomaly.json and the SVGs into the run folder; `anomalySection` reads them back,
 * so report.html can be rebuilt from the folder alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@latentkit/core';
import { type ThresholdCalibration, rocCurve } from '@latentkit/eval';
import { rocSvg, scoreHistogramSvg, seriesSvg } from './anomaly-charts.js';
import type { ReportSection } from './html-report.js';

export interface AnomalyPictureInput {
  readonly input: string;
  readonly scoreKind: string;
  readonly calibration: ThresholdCalibration;
  readonly scores: Readonly<Record<string, Float64Array>>;
  readonly flags: Uint8Array;
  /** Per record: 1 anomaly, 0 normal, −1 unknown. */
  readonly truth?: Int8Array;
  readonly metrics?: Readonly<Record<string, { auroc: number; auprc: number }>>;
  readonly series?: { readonly timestamps: readonly string[]; readonly values: Float64Array; readonly labelWindows?: readonly (readonly [string, string])[] };
}

const files = (dir: string) => {
  const at = (name: string) => path.join(path.resolve(dir), name);
  return { summary: at('anomaly.json'), histogram: at('anomaly-histogram.svg'), roc: at('anomaly-roc.svg'), series: at('anomaly-series.svg') };
};

/** Writes anomaly.json and the pictures the data allows; returns the files written. */
export async function writeAnomalyPictures(dir: string, data: AnomalyPictureInput): Promise<string[]> {
  const at = files(dir);
  for (const f of [at.histogram, at.roc, at.series]) fs.rmSync(f, { force: true });
  const { calibration } = data;
  const summary = {
    input: data.input,
    records: data.flags.length,
    flagged: data.flags.reduce((s, v) => s + v, 0),
    'flag score': data.scoreKind,
    'calibration: fpr': calibration.fpr,
    'calibration: threshold': calibration.threshold,
    'calibration: held-out normal records': calibration.n,
    ...Object.fromEntries(
      Object.entries(data.metrics ?? {}).flatMap(([k, m]) => [
        [`${k}: AUROC`, m.auroc],
        [`${k}: AUPRC`, m.auprc],
      ]),
    ),
  };
  writeFileAtomic(at.summary, `${JSON.stringify(summary, null, 2)}\n`);
  const written = [at.summary];
  const flagScore = data.scores[data.scoreKind];
  if (data.truth && data.metrics && flagScore) {
    const truth = data.truth;
    writeFileAtomic(at.histogram, await scoreHistogramSvg(flagScore, truth, calibration.threshold, `${data.scoreKind}: normal vs anomalous`));
    const known = Int32Array.from({ length: truth.length }, (_, i) => i).filter((i) => truth[i] !== -1);
    const labels = Uint8Array.from(known, (i) => truth[i] as number);
    const lines = Object.keys(data.metrics).map((name) => {
      const roc = rocCurve(
        labels,
        Float64Array.from(known, (i) => (data.scores[name] as Float64Array)[i] as number),
      );
      return { name, fpr: roc.fpr, tpr: roc.tpr };
    });
    writeFileAtomic(at.roc, await rocSvg(lines, 'ROC curves'));
    written.push(at.histogram, at.roc);
  }
  if (data.series) {
    const s = data.series;
    writeFileAtomic(at.series, await seriesSvg(s.timestamps, s.values, data.flags, s.labelWindows ?? [], `${path.basename(data.input)}: flagged readings`));
    written.push(at.series);
  }
  return written;
}

/** The section for report.html, or undefined when the run has not been scored with `score`. */
export function anomalySection(dir: string): ReportSection | undefined {
  const at = files(dir);
  if (!fs.existsSync(at.summary)) return undefined;
  const numbers = JSON.parse(fs.readFileSync(at.summary, 'utf8')) as Record<string, unknown>;
  const svgs = [
    { file: at.histogram, caption: 'Scores of normal and anomalous records; the dashed line is the calibrated threshold' },
    { file: at.roc, caption: 'ROC curve of each score' },
    { file: at.series, caption: 'The series: flagged readings in red, labelled anomaly windows shaded' },
  ]
    .filter((g) => fs.existsSync(g.file))
    .map((g) => ({ svg: fs.readFileSync(g.file, 'utf8'), caption: g.caption }));
  return { id: 'anomaly', title: 'Anomaly scores (latentkit score)', numbers, svgs };
}
