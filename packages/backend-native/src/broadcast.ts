/**
 * Reduces a broadcasting binary op to the addon's two-dimensional loop. Output axes are grouped into runs where each
 * operand is either whole or broadcast; merged runs of the same kind become one axis. At most two runs remain for
 * every shape a model's element-wise ops produce (same shapes, scalars, a bias row, a per-row column), and then
 * each operand is described by an outer and an inner stride. Anything else returns undefined (wasm handles it).
 */
export interface Plan2D {
  readonly outer: number;
  readonly inner: number;
  readonly a: readonly [outer: number, inner: number];
  readonly b: readonly [outer: number, inner: number];
}

export function plan2D(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): Plan2D | undefined {
  const rank = outShape.length;
  const pad = (s: readonly number[]) => [...Array<number>(rank - s.length).fill(1), ...s];
  const [pa, pb] = [pad(aShape), pad(bShape)];
  const runs: { size: number; aFull: boolean; bFull: boolean }[] = [];
  for (let k = 0; k < rank; k++) {
    const size = outShape[k] as number;
    if (size === 1) continue;
    const aFull = pa[k] === size;
    const bFull = pb[k] === size;
    const last = runs.at(-1);
    if (last && last.aFull === aFull && last.bFull === bFull) last.size *= size;
    else runs.push({ size, aFull, bFull });
  }
  if (runs.length > 2) return undefined;
  while (runs.length < 2) runs.unshift({ size: 1, aFull: true, bFull: true });
  const [o, i] = runs as [(typeof runs)[0], (typeof runs)[0]];
  const strides = (outerFull: boolean, innerFull: boolean): [number, number] => [outerFull ? (innerFull ? i.size : 1) : 0, innerFull ? 1 : 0];
  return { outer: o.size, inner: i.size, a: strides(o.aFull, i.aFull), b: strides(o.bFull, i.bFull) };
}
