import { describe, expect, it } from 'vitest';
import { plan2D } from '../src/broadcast.js';

/** Evaluates a plan the way the addon's loop does, on index arrays, to check which element each output reads. */
function reads(plan: NonNullable<ReturnType<typeof plan2D>>): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < plan.outer; i++) {
    for (let j = 0; j < plan.inner; j++) {
      a.push(i * plan.a[0] + j * plan.a[1]);
      b.push(i * plan.b[0] + j * plan.b[1]);
    }
  }
  return { a, b };
}

/** The flat index each output element reads from an operand of `shape` under numpy broadcasting to `out`. */
function broadcastIndex(shape: number[], out: number[]): number[] {
  const padded = [...Array<number>(out.length - shape.length).fill(1), ...shape];
  const n = out.reduce((x, y) => x * y, 1);
  const result: number[] = [];
  for (let flat = 0; flat < n; flat++) {
    let rest = flat;
    let index = 0;
    let stride = 1;
    for (let k = out.length - 1; k >= 0; k--) {
      const coord = rest % (out[k] as number);
      rest = Math.floor(rest / (out[k] as number));
      if (padded[k] !== 1) index += coord * stride;
      stride *= padded[k] as number;
    }
    result.push(index);
  }
  return result;
}

describe('plan2D', () => {
  const cases: [number[], number[], number[]][] = [
    [
      [4, 5],
      [4, 5],
      [4, 5],
    ],
    [[4, 5], [], [4, 5]],
    [[], [2, 3, 4], [2, 3, 4]],
    [[6, 5], [5], [6, 5]],
    [
      [6, 5],
      [6, 1],
      [6, 5],
    ],
    [
      [6, 1],
      [6, 5],
      [6, 5],
    ],
    [
      [1, 5],
      [6, 1],
      [6, 5],
    ],
    [[2, 3, 4], [4], [2, 3, 4]],
    [
      [2, 3, 4],
      [2, 3, 1],
      [2, 3, 4],
    ],
    [
      [1, 35, 32, 4],
      [35, 32, 4],
      [1, 35, 32, 4],
    ],
  ];
  it.each(cases)('%j with %j reads the elements numpy broadcasting reads', (a, b, out) => {
    const plan = plan2D(a, b, out);
    expect(plan).toBeDefined();
    const got = reads(plan as NonNullable<typeof plan>);
    expect(got.a).toEqual(broadcastIndex(a, out));
    expect(got.b).toEqual(broadcastIndex(b, out));
  });

  it('declines broadcasts that need more than two axes', () => {
    expect(plan2D([2, 1, 4], [2, 3, 1], [2, 3, 4])).toBeUndefined();
    expect(plan2D([2, 3, 4], [2, 1, 4], [2, 3, 4])).toBeUndefined();
  });
});
