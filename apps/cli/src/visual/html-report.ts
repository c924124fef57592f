/**
 * One self-contained report.html: the numbers, plus the pictures of a run (PNG files beside it, SVG inlined).
 */

export interface ReportSection {
  readonly title: string;
  /** Flat name → value table. Nested objects are shown as JSON. */
  readonly numbers?: Readonly<Record<string, unknown>>;
  /** PNG files relative to the report, with captions. */
  readonly images?: readonly { readonly file: string; readonly caption: string }[];
  /** Inline SVG documents with captions. */
  readonly svgs?: readonly { readonly svg: string; readonly caption: string }[];
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(5);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function sectionHtml(s: ReportSection): string {
  const rows = Object.entries(s.numbers ?? {})
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(formatValue(v))}</td></tr>`)
    .join('\n');
  const images = (s.images ?? [])
    .map((im) => `<figure><img src="${escapeHtml(im.file)}" alt="${escapeHtml(im.caption)}"><figcaption>${escapeHtml(im.caption)}</figcaption></figure>`)
    .join('\n');
  // The SVGs come from Vega, which escapes its own text; they are inlined so the report is one file plus PNGs.
  const svgs = (s.svgs ?? []).map((g) => `<figure>${g.svg}<figcaption>${escapeHtml(g.caption)}</figcaption></figure>`).join('\n');
  return `<section><h2>${escapeHtml(s.title)}</h2>${rows ? `<table>${rows}</table>` : ''}<div class="figures">${images}${svgs}</div></section>`;
}

export function reportHtml(title: string, sections: readonly ReportSection[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border-bottom:1px solid #ddd;padding:.25rem .75rem;text-align:left}
th{font-weight:500;color:#555}.figures{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{color:#555;font-size:.9rem}
img{image-rendering:pixelated;max-width:100%}
</style></head><body><h1>${escapeHtml(title)}</h1>
${sections.map(sectionHtml).join('\n')}
</body></html>
`;
}
