import type { Rng } from '@latentkit/core';

/**
 * Splits example indices into a fitting part and a validation part, class by class, so every class with at least
 * two examples appears in both and the class balance is kept.
 */
export function stratifiedSplit(classIndex: Int32Array, validationFraction: number, rng: Rng): { fit: Int32Array; validation: Int32Array } {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < classIndex.length; i++) {
    const c = classIndex[i] as number;
    const members = byClass.get(c);
    if (members) members.push(i);
    else byClass.set(c, [i]);
  }
  const fit: number[] = [];
  const validation: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(byClass.get(c) as number[]);
    const held = members.length < 2 ? 0 : Math.min(members.length - 1, Math.max(1, Math.round(validationFraction * members.length)));
    validation.push(...members.slice(0, held));
    fit.push(...members.slice(held));
  }
  return { fit: Int32Array.from(fit.sort((a, b) => a - b)), validation: Int32Array.from(validation.sort((a, b) => a - b)) };
}
