/**
 * A seeded, serialisable random stream. Everything random in latentkit draws from one of these, so a run is
 * reproducible from its seed, and a resumed run continues the exact same stream from the checkpointed state.
 *
 * tfjs random ops take an integer seed per call; `tfSeed()` draws that integer from this stream, so tensor
 * randomness is reproducible too without touching tfjs's global state.
 */
import seedrandom from 'seedrandom';
import { checkPositiveInt, invalidArgument } from './errors.js';

/** The serialised state of an Rng: plain JSON, stored in checkpoints. */
export interface RngState {
  readonly alea: { c: number; s0: number; s1: number; s2: number };
}

type Alea = seedrandom.PRNG & { state(): RngState['alea'] };

export class Rng {
  private readonly prng: Alea;

  private constructor(prng: Alea) {
    this.prng = prng;
  }

  /** A new stream from a seed (any integer or string). */
  static fromSeed(seed: number | string): Rng {
    if (typeof seed === 'number' && !Number.isFinite(seed)) throw invalidArgument('seed', 'a finite number or a string', seed);
    return new Rng(seedrandom.alea(String(seed), { state: true }) as Alea);
  }

  /** Restores a stream saved with `state()`; it continues exactly where the saved one stopped. */
  static fromState(state: RngState): Rng {
    const a = state?.alea;
    if (!a || ![a.c, a.s0, a.s1, a.s2].every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw invalidArgument('state', 'an RngState object {alea: {c, s0, s1, s2}}', state);
    }
    return new Rng(seedrandom.alea('', { state: { ...a } }) as Alea);
  }

  state(): RngState {
    return { alea: { ...this.prng.state() } };
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.prng();
  }

  /** Uniform integer on [0, n). */
  int(n: number): number {
    checkPositiveInt(n, 'n');
    return Math.floor(this.prng() * n);
  }

  /** Standard normal by Box–Muller; uses two uniforms per draw so the state stays a plain PRNG state. */
  normal(): number {
    const u = 1 - this.prng(); // (0, 1]: log stays finite
    const v = this.prng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An integer seed for one tfjs random op (tf.randomNormal(shape, 0, 1, 'float32', rng.tfSeed())). */
  tfSeed(): number {
    return Math.floor(this.prng() * 0x7fffffff);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<A extends { length: number; [i: number]: unknown }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    return this.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  }

  /** An independent child stream, e.g. one for data order and one for dropout, so adding draws to one does not shift the other. */
  fork(label: string): Rng {
    return Rng.fromSeed(`${this.tfSeed()}:${label}`);
  }
}
