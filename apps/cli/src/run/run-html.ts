/** report.html of a run, rebuilt from what the folder holds: run.json, report.json, parity.json and the pictures. */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@latentkit/core';
import { anomalySection } from '../visual/anomaly-section.js';
import { type ReportSection, reportHtml } from '../visual/html-report.js';
import { readRunSpec, runPaths } from './run-folder.js';

const readJson = (file: string): Record<string, unknown> | undefined => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);

/** Flattens nested report objects into `a.b.c` rows, leaving out long arrays (per-dimension lists, probe paths). */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    if (value.length <= 12 && value.every((v) => typeof v !== 'object')) out[prefix] = value.join(', ');
    return out;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  out[prefix] = value;
  return out;
}

export async function writeRunHtml(dir: string): Promise<string> {
  const paths = runPaths(dir);
  const spec = await readRunSpec(dir);
  const sections: ReportSection[] = [];
  sections.push({
    title: 'Run',
    numbers: {
      model: spec.model.kind,
      bottleneck: spec.model.bottleneck.kind,
      data: spec.data.name,
      seed: spec.data.seed,
      'batch size': spec.batchSize,
      optimizer: `${spec.trainer.optimizer.kind}, lr ${spec.trainer.optimizer.learningRate}`,
    },
  });
  const report = readJson(paths.report);
  if (report) {
    const { format: _format, model: _model, ...numbers } = report;
    sections.push({ title: 'Evaluation (held-out data)', numbers: flatten(numbers) });
  }
  const parity = readJson(paths.parity);
  if (parity) sections.push({ title: 'ONNX export: max |ONNX − tfjs|', numbers: flatten(parity) });
  const rel = (file: string) => path.relative(paths.root, file);
  const images = [
    { file: paths.reconstructions, caption: 'Test digits (odd rows) and their reconstructions (even rows)' },
    { file: paths.samples, caption: 'Samples decoded from the prior / codebook' },
  ].filter((im) => fs.existsSync(im.file));
  const svgs = [
    { file: paths.scatter, caption: 'Latent codes of held-out examples' },
    { file: paths.curves, caption: 'Training and validation loss' },
  ]
    .filter((g) => fs.existsSync(g.file))
    .map((g) => ({ svg: fs.readFileSync(g.file, 'utf8'), caption: g.caption }));
  const anomaly = anomalySection(dir);
  if (anomaly) sections.push(anomaly);
  sections.push({ title: 'Pictures', images: images.map((im) => ({ ...im, file: rel(im.file) })), svgs });
  writeFileAtomic(paths.html, reportHtml(`latentkit run ${path.basename(paths.root)}`, sections));
  return paths.html;
}
