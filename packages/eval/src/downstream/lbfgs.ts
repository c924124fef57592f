/**
 * Limited-memory BFGS (Nocedal & Wright 2006, Algorithm 7.4) with a backtracking Armijo line search: enough for
 * the smooth convex objectives the probes minimise, where plain gradient descent needs a tuned step size.
 */

/** Returns f(x) and writes ∇f(x) into `gradient`. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

/**
 * An objective that can be evaluated cheaply along a line x + t·p once the line is set up, as a linear model's
 * loss can (its outputs move linearly in t): the line search then needs no gradient until it accepts a point.
 */
export interface LineObjective {
  /** f(x), writing ∇f(x) into `gradient`; called once, at the start. */
  evaluate(x: Float64Array, gradient: Float64Array): number;
  /** Sets up the line from the current iterate x (gradient g) along p; returns the derivative of f along p at x. */
  beginLine(x: Float64Array, gradient: Float64Array, direction: Float64Array): number;
  /** f(x + t·p). */
  lineValue(t: number): number;
  /** The derivative of f along p at the point of the last `lineValue`. */
  lineSlope(): number;
  /** The search accepts the point of the last `lineValue`, `x`: write ∇f there into `gradient`. */
  acceptLine(x: Float64Array, gradient: Float64Array): void;
}

export interface LbfgsOptions {
  /** Stop after this many iterations. */
  readonly maxIterations: number;
  /** Stop when the largest gradient entry falls below this. */
  readonly gradientTolerance: number;
  /** Stop when one iteration lowers f by less than this times max(|f|, 1). Default 0: stop on the gradient alone. */
  readonly functionTolerance?: number;
  /** Correction pairs kept. */
  readonly memory?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** A plain objective seen as a line objective: every point on the line is a full evaluation. */
function alongLines(objective: Objective, n: number): LineObjective {
  let base: Float64Array = new Float64Array(n);
  let direction: Float64Array = new Float64Array(n);
  const point = new Float64Array(n);
  const pointGradient = new Float64Array(n);
  return {
    evaluate: objective,
    beginLine(x, gradient, p) {
      base = x;
      direction = p;
      return dot(gradient, p);
    },
    lineValue(t) {
      for (let i = 0; i < n; i++) point[i] = (base[i] as number) + t * (direction[i] as number);
      return objective(point, pointGradient);
    },
    lineSlope: () => dot(pointGradient, direction),
    acceptLine(_x, gradient) {
      gradient.set(pointGradient);
    },
  };
}

export function minimizeLbfgs(objective: Objective | LineObjective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const memory = options.memory ?? 10;
  const functionTolerance = options.functionTolerance ?? 0;
  const line = typeof objective === 'function' ? alongLines(objective, n) : objective;
  let x = Float64Array.from(x0);
  let gradient = new Float64Array(n);
  let value = line.evaluate(x, gradient);
  const steps: Float64Array[] = [];
  const gradientChanges: Float64Array[] = [];
  const rhos: number[] = [];
  const alphas = new Float64Array(memory);
  const direction = new Float64Array(n);
  let nextX = new Float64Array(n);
  let nextGradient = new Float64Array(n);

  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (maxAbs(gradient) <= options.gradientTolerance) return { x, value, iterations: iteration, converged: true };

    // Two-loop recursion: direction = −H·g with H the implicit inverse-Hessian estimate.
    for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
    for (let j = steps.length - 1; j >= 0; j--) {
      const a = (rhos[j] as number) * dot(steps[j] as Float64Array, direction);
      alphas[j] = a;
      const yj = gradientChanges[j] as Float64Array;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) - a * (yj[i] as number);
    }
    const last = steps.length - 1;
    const scale =
      last >= 0
        ? dot(steps[last] as Float64Array, gradientChanges[last] as Float64Array) /
          dot(gradientChanges[last] as Float64Array, gradientChanges[last] as Float64Array)
        : 1 / Math.max(1, maxAbs(gradient) * Math.sqrt(n));
    for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) * scale;
    for (let j = 0; j < steps.length; j++) {
      const b = (rhos[j] as number) * dot(gradientChanges[j] as Float64Array, direction);
      const sj = steps[j] as Float64Array;
      const a = alphas[j] as number;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) + (a - b) * (sj[i] as number);
    }

    let slope = line.beginLine(x, gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (round-off in a flat region): restart from steepest descent.
      steps.length = gradientChanges.length = rhos.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number) / Math.max(1, maxAbs(gradient));
      slope = line.beginLine(x, gradient, direction);
    }

    // Backtracking until Armijo holds or, once f changes by no more than its round-off, until the approximate Wolfe
    // test of Hager & Zhang (2005) holds (the directional derivative has shrunk). It lets the search push the
    // gradient well below √ε, where differences of f are pure noise.
    const noise = 1e-12 * Math.max(Math.abs(value), 1);
    let t = 1;
    let nextValue = Number.NaN;
    let accepted = false;
    for (let tries = 0; tries < 50 && !accepted; tries++) {
      nextValue = line.lineValue(t);
      accepted = nextValue <= value + 1e-4 * t * slope || (nextValue <= value + noise && Math.abs(line.lineSlope()) <= 0.9 * Math.abs(slope));
      if (accepted) for (let i = 0; i < n; i++) nextX[i] = (x[i] as number) + t * (direction[i] as number);
      t *= 0.5;
    }
    if (!accepted) return { x, value, iterations: iteration, converged: maxAbs(gradient) <= options.gradientTolerance };
    line.acceptLine(nextX, nextGradient);

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (nextX[i] as number) - (x[i] as number);
      y[i] = (nextGradient[i] as number) - (gradient[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (steps.length === memory) {
        steps.shift();
        gradientChanges.shift();
        rhos.shift();
      }
      steps.push(s);
      gradientChanges.push(y);
      rhos.push(1 / sy);
    }
    const decrease = value - nextValue;
    [x, nextX] = [nextX, x];
    [gradient, nextGradient] = [nextGradient, gradient];
    value = nextValue;
    if (functionTolerance > 0 && decrease <= functionTolerance * Math.max(Math.abs(value), 1)) {
      return { x, value, iterations: iteration + 1, converged: true };
    }
  }
  return { x, value, iterations: options.maxIterations, converged: maxAbs(gradient) <= options.gradientTolerance };
}
