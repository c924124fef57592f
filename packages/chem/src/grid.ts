/**
 * A grid of molecule drawings in one SVG, for run reports: each cell is MinimalLib's own depiction (with its legend,
 * e.g. the molecule's properties) placed as a nested <svg> at its row and column.
 */
import { check } from '@latentkit/core/base';
import type { Chemistry } from './chemistry.js';

export interface GridCell {
  readonly smiles: string;
  /** Text under the drawing, e.g. "logP 2.1 · QED 0.81". */
  readonly legend?: string;
}

export interface GridOptions {
  /** Cells per row; default 4. */
  readonly columns?: number;
  /** Size of each cell in pixels; default 250 × 200. */
  readonly cellWidth?: number;
  readonly cellHeight?: number;
}

const escapeXml = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** One SVG document with a drawing per cell; a SMILES RDKit cannot parse gets a cell that says so. */
export function svgGrid(chem: Chemistry, cells: readonly GridCell[], options: GridOptions = {}): string {
  const columns = options.columns ?? 4;
  const width = options.cellWidth ?? 250;
  const height = options.cellHeight ?? 200;
  check(Number.isInteger(columns) && columns > 0, 'columns', 'a positive integer', columns);
  const rows = Math.max(1, Math.ceil(cells.length / columns));
  const totalWidth = Math.min(columns, Math.max(cells.length, 1)) * width;
  const parts = [
    `<svg xmlns='http://www.w3.org/2000/svg' version='1.1' width='${totalWidth}' height='${rows * height}' viewBox='0 0 ${totalWidth} ${rows * height}'>`,
  ];
  cells.forEach((cell, i) => {
    const x = (i % columns) * width;
    const y = Math.floor(i / columns) * height;
    const drawing = chem.svgDepiction(cell.smiles, { width, height, ...(cell.legend !== undefined && { legend: cell.legend }) });
    if (drawing === null) {
      const legend = cell.legend === undefined ? '' : ` · ${cell.legend}`;
      parts.push(
        `<svg x='${x}' y='${y}' width='${width}' height='${height}'><rect width='${width}' height='${height}' fill='#f4f4f4'/>` +
          `<text x='${width / 2}' y='${height / 2}' text-anchor='middle' font-family='sans-serif' font-size='12'>invalid SMILES${escapeXml(legend)}</text></svg>`,
      );
    } else {
      // Drop the XML declaration and place the drawing's root <svg> at its cell.
      parts.push(drawing.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<svg\b/, `<svg x='${x}' y='${y}'`));
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}
