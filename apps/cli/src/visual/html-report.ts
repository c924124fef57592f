/**
 * One self-contained report page: every picture is inside the file (PNGs as data URIs, charts as inline SVG), so a
 * copied or mailed report.html shows everything. Numbers carry labels, units and a one-line explanation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatNumber } from '@latentkit/eval';

/** A labelled value: `text` is already formatted with its unit; `note` says what it means. */
export interface ReportRow {
  readonly label: string;
  readonly text: string;
  readonly note?: string;
}

export interface ReportImage {
  /** A PNG file (relative to `baseDir`), read and embedded; left out when it does not exist. */
  readonly file?: string;
  /** Or the PNG bytes. */
  readonly png?: Uint8Array;
  readonly caption: string;
}

export interface ReportSection {
  /** A stable id: the section's anchor and `data-section` attribute (what the browser test looks for). */
  readonly id: string;
  readonly title: string;
  /** A sentence or two before the content. */
  readonly intro?: string;
  readonly rows?: readonly ReportRow[];
  /** A plain name → value table; numbers are formatted for people, null and undefined values left out. */
  readonly numbers?: Readonly<Record<string, unknown>>;
  readonly images?: readonly ReportImage[];
  /** Inline SVG documents (from Vega, which escapes its own text). */
  readonly svgs?: readonly { readonly svg: string; readonly caption: string }[];
  /** Lines of text: sentences, words. */
  readonly lists?: readonly { readonly caption: string; readonly items: readonly string[] }[];
  readonly tables?: readonly { readonly caption: string; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] }[];
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function formatValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map(formatValue).join(', ');
  return JSON.stringify(v);
}

function imageSrc(im: ReportImage, baseDir: string): string | undefined {
  let bytes = im.png;
  if (!bytes && im.file) {
    const file = path.resolve(baseDir, im.file);
    if (!fs.existsSync(file)) return undefined;
    bytes = fs.readFileSync(file);
  }
  return bytes ? `data:image/png;base64,${Buffer.from(bytes).toString('base64')}` : undefined;
}

function tableHtml(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('\n');
  return `<table>${head}<tbody>${body}</tbody></table>`;
}

function sectionHtml(s: ReportSection, baseDir: string): string {
  const parts: string[] = [];
  if (s.intro) parts.push(`<p class="intro">${escapeHtml(s.intro)}</p>`);
  if (s.rows?.length) {
    const rows = s.rows
      .map((r) => `<tr><th>${escapeHtml(r.label)}</th><td class="value">${escapeHtml(r.text)}</td><td class="note">${escapeHtml(r.note ?? '')}</td></tr>`)
      .join('\n');
    parts.push(`<table class="entries">${rows}</table>`);
  }
  const numbers = Object.entries(s.numbers ?? {}).filter(([, v]) => v !== null && v !== undefined);
  if (numbers.length) {
    parts.push(
      `<table>${numbers.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td class="value">${escapeHtml(formatValue(v))}</td></tr>`).join('\n')}</table>`,
    );
  }
  for (const t of s.tables ?? []) parts.push(`<figure class="table">${tableHtml(t.header, t.rows)}<figcaption>${escapeHtml(t.caption)}</figcaption></figure>`);
  for (const l of s.lists ?? [])
    parts.push(
      `<figure class="list"><ol>${l.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ol><figcaption>${escapeHtml(l.caption)}</figcaption></figure>`,
    );
  const figures: string[] = [];
  for (const im of s.images ?? []) {
    const src = imageSrc(im, baseDir);
    if (src) figures.push(`<figure><img src="${src}" alt="${escapeHtml(im.caption)}"><figcaption>${escapeHtml(im.caption)}</figcaption></figure>`);
  }
  for (const g of s.svgs ?? []) figures.push(`<figure>${g.svg}<figcaption>${escapeHtml(g.caption)}</figcaption></figure>`);
  if (figures.length) parts.push(`<div class="figures">${figures.join('\n')}</div>`);
  return `<section id="${escapeHtml(s.id)}" data-section="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>${parts.join('\n')}</section>`;
}

/** The page. `baseDir` is where relative image files are read from (default: the working directory). */
export function reportHtml(title: string, sections: readonly ReportSection[], options: { baseDir?: string; subtitle?: string } = {}): string {
  const baseDir = options.baseDir ?? process.cwd();
  const nav = sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.4}
nav{color:#555;margin-bottom:1rem}nav a{color:#2458a6;text-decoration:none}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border-bottom:1px solid #ddd;padding:.25rem .75rem;text-align:left;vertical-align:top}
th{font-weight:500;color:#444}td.value{font-variant-numeric:tabular-nums;white-space:nowrap}td.note{color:#666;font-size:.9rem}
.figures{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0 0 1rem}figcaption{color:#555;font-size:.9rem;max-width:720px}
figure.list ol{font-family:ui-monospace,monospace;font-size:.9rem;margin:.25rem 0}p.intro{color:#444;max-width:800px}
img{image-rendering:pixelated;max-width:100%}
</style></head><body><h1>${escapeHtml(title)}</h1>
${options.subtitle ? `<p class="intro">${escapeHtml(options.subtitle)}</p>` : ''}
<nav>${nav}</nav>
${sections.map((s) => sectionHtml(s, baseDir)).join('\n')}
</body></html>
`;
}
