/**
 * Adaptive Gauss–Kronrod (7–15 point) quadrature in float64, for smooth integrands that may be sharply peaked:
 * the piece whose Kronrod and Gauss estimates disagree most is halved until they agree to the requested tolerance.
 */

// Kronrod nodes on [−1, 1] (non-negative half; index 1, 3, 5 are the 7-point Gauss nodes) and weights.
const XK = [0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911, 0.4058451513773972, 0.20778495500789848, 0];
const WK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679, 0.19035057806478542, 0.20443294007529889,
  0.20948214108472782,
];
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

function kronrod(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const center = 0.5 * (a + b);
  const half = 0.5 * (b - a);
  const fc = f(center);
  let k = fc * (WK[7] as number);
  let g = fc * (WG[3] as number);
  for (let j = 0; j < 7; j++) {
    const dx = half * (XK[j] as number);
    const sum = f(center - dx) + f(center + dx);
    k += (WK[j] as number) * sum;
    if (j % 2 === 1) g += (WG[(j - 1) / 2] as number) * sum;
  }
  return { value: k * half, error: Math.abs((k - g) * half) };
}

/**
 * ∫_a^b f to relative tolerance `tolerance`: the piece with the largest error estimate is halved until the summed
 * error is below tolerance × |integral|, or `maxPieces` pieces are in use (which bounds the cost).
 */
export function integrate(f: (x: number) => number, a: number, b: number, tolerance = 1e-10, maxPieces = 200): number {
  const lo = [a];
  const hi = [b];
  const first = kronrod(f, a, b);
  const values = [first.value];
  const errors = [first.error];
  let value = first.value;
  let error = first.error;
  while (error > tolerance * Math.abs(value) && values.length < maxPieces) {
    let worst = 0;
    for (let i = 1; i < errors.length; i++) if ((errors[i] as number) > (errors[worst] as number)) worst = i;
    const l = lo[worst] as number;
    const h = hi[worst] as number;
    const mid = 0.5 * (l + h);
    const left = kronrod(f, l, mid);
    const right = kronrod(f, mid, h);
    value += left.value + right.value - (values[worst] as number);
    error += left.error + right.error - (errors[worst] as number);
    hi[worst] = mid;
    values[worst] = left.value;
    errors[worst] = left.error;
    lo.push(mid);
    hi.push(h);
    values.push(right.value);
    errors.push(right.error);
  }
  // Re-add at the end: the running sums above accumulate rounding from every subtraction.
  return values.reduce((sum, v) => sum + v, 0);
}
