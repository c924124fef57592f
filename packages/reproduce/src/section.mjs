/** The Markdown of one experiment's section of docs/results.md: figures beside the paper's, settings, times, command. */
import { formatMeanSd } from './stats.mjs';

/** Epochs trained by a run: `12 (early stop)` when validation stopped it, `5*` when a --max-epochs cap did. */
function epochsCell(run) {
  if (run.epoch === null || run.epoch === undefined) return '—';
  if (run.complete === false) return `${run.epoch}*`;
  return run.stopped === 'earlyStopping' ? `${run.epoch} (early stop)` : String(run.epoch);
}

/**
 * The experiment's validation curves as one table per curve: a row per epoch, a column per variant (mean over its
 * seeds that reached that epoch), so e.g. a Gaussian's KL collapsing under annealing stands beside the vMF's.
 */
function curveTables(experiment, result) {
  const lines = [];
  for (const curve of experiment.curves ?? []) {
    const rows = result.rows.filter((row) => row.runs.some((r) => r.curves?.[curve.key]?.length));
    if (rows.length === 0) continue;
    const at = rows.map((row) => {
      const byEpoch = new Map();
      for (const run of row.runs) for (const [epoch, v] of run.curves?.[curve.key] ?? []) byEpoch.set(epoch, [...(byEpoch.get(epoch) ?? []), v]);
      return byEpoch;
    });
    const epochs = [...new Set(at.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
    const cell = (values) => (values ? (values.reduce((a, b) => a + b, 0) / values.length).toFixed(curve.digits ?? 2) : '—');
    lines.push(
      `${curve.label} after each epoch (mean over seeds):`,
      '',
      `| epoch | ${rows.map((r) => r.label).join(' | ')} |`,
      `|---:|${rows.map(() => '---:|').join('')}`,
      ...epochs.map((e) => `| ${e} | ${at.map((m) => cell(m.get(e))).join(' | ')} |`),
      '',
    );
  }
  return lines;
}

export function renderSection(experiment, result, { command, notes = '' }) {
  const lines = [`## ${experiment.title}`, '', `Goal: ${experiment.goal}. Paper: ${experiment.paperSource}.`, ''];
  const { columns } = experiment;
  lines.push(
    `| variant | ${columns.map((c) => c.label).join(' | ')} | paper | epochs | train + eval seconds |`,
    `|---|${columns.map(() => '---:|').join('')}---:|---:|---:|`,
  );
  for (const row of result.rows) {
    const seconds = row.runs.map((r) => Math.round(r.trainSeconds + r.evalSeconds)).join(', ');
    const epochs = row.runs.map(epochsCell).join(', ');
    const cells = columns.map((c) => formatMeanSd(row.summary[c.key], c.digits));
    lines.push(`| ${row.label} | ${cells.join(' | ')} | ${row.paper ?? '—'} | ${epochs} | ${seconds} |`);
  }
  lines.push(
    '',
    `Scale \`${result.scale}\`, seeds ${result.seeds.join(', ')}; wall time of this invocation ${Math.round(result.wallSeconds)} s (reused runs count 0).`,
    '',
  );
  if (result.rows.some((row) => row.runs.some((r) => r.complete === false))) {
    lines.push(
      `**Unfinished:** epochs marked * are where \`--max-epochs ${result.maxEpochs ?? ''}\` stopped a run before its own epoch count; ` +
        'its figures are interim ones, and the same command with a larger cap (or none) continues it from its checkpoint.',
      '',
    );
  }
  lines.push(...curveTables(experiment, result));
  lines.push('Exact settings (flags after `latentkit train --data ' + experiment.data + ' --seed <seed>`, plus the config file if any):', '');
  for (const v of experiment.variants.filter((x) => result.rows.some((r) => r.variant === x.name))) {
    lines.push(
      `- \`${v.name}\`: \`${v.train.join(' ')} ${(experiment.scales[result.scale].train ?? []).join(' ')}\`${v.config ? ` with \`${JSON.stringify(v.config)}\`` : ''}`,
    );
  }
  lines.push('', `Command: \`${command}\``, '');
  if (notes) lines.push(notes.trim(), '');
  return lines.join('\n');
}
