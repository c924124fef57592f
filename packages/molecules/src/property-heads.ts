/**
 * Heads fitted to a trained SMILES VAE's frozen codes of the shared ESOL and Tox21 molecules. Molecules with a token
 * the VAE's vocabulary lacks (ESOL's phosphorus and iodine, say, absent from MOSES) or longer than its `maxLength`
 * cannot be encoded faithfully, so they are left out and counted.
 */
import { TOX21_ASSAYS, loadEsol, loadTox21, tokenize } from '@latentkit/chem';
import { LatentkitError, type tf } from '@latentkit/core';
import { type FitOptions, type PropertyHead, type PropertyName, fitSolubilityHead, fitToxicityHead } from './heads.js';
import { encodeSmiles } from './sample.js';
import type { SmilesVae } from './smiles-vae.js';

export interface EncodableMolecules {
  /** Indices (into the given list) of the molecules the vocabulary covers. */
  readonly kept: number[];
  readonly ids: Int32Array[];
  readonly dropped: number;
}

/** The molecules every token of which is in the model's vocabulary, within its `maxLength`, and their token ids. */
export function encodableMolecules(model: SmilesVae, smiles: readonly string[]): EncodableMolecules {
  const index = new Map(model.smiles.tokens.map((t, i) => [t, i]));
  const kept: number[] = [];
  const ids: Int32Array[] = [];
  smiles.forEach((s, i) => {
    let tokens: string[];
    try {
      tokens = tokenize(s);
    } catch {
      return;
    }
    if (tokens.length >= model.smiles.maxLength) return;
    const row = tokens.map((t) => index.get(t) ?? -1);
    if (row.includes(-1)) return;
    kept.push(i);
    ids.push(Int32Array.from(row));
  });
  return { kept, ids, dropped: smiles.length - kept.length };
}

export interface FittedHead {
  readonly head: PropertyHead;
  readonly molecules: number;
  readonly dropped: number;
}

function codesOf(model: SmilesVae, smiles: readonly string[]): { codes: tf.Tensor2D; enc: EncodableMolecules } {
  const enc = encodableMolecules(model, smiles);
  if (enc.kept.length < 10)
    throw new LatentkitError('UNSUPPORTED', `only ${enc.kept.length} of ${smiles.length} molecules use tokens this model knows; a property head needs more`);
  const byIndex = new Map(enc.kept.map((k, j) => [smiles[k] as string, enc.ids[j] as Int32Array]));
  return {
    codes: encodeSmiles(
      model,
      enc.kept.map((k) => smiles[k] as string),
      (s) => byIndex.get(s) as Int32Array,
    ),
    enc,
  };
}

/** Fits the solubility (ESOL logS) or toxicity (Tox21, 12 assays) head on the model's codes of that data set. */
export async function fitPropertyHead(model: SmilesVae, property: PropertyName, dataDir: string, options: FitOptions = {}): Promise<FittedHead> {
  if (property === 'solubility') {
    const esol = await loadEsol(dataDir);
    const { codes, enc } = codesOf(model, esol.smiles);
    try {
      return {
        head: fitSolubilityHead(
          codes,
          enc.kept.map((k) => esol.logS[k] as number),
          options,
        ),
        molecules: enc.kept.length,
        dropped: enc.dropped,
      };
    } finally {
      codes.dispose();
    }
  }
  const tox = await loadTox21(dataDir);
  const { codes, enc } = codesOf(model, tox.smiles);
  const t = TOX21_ASSAYS.length;
  const labels = new Float32Array(enc.kept.length * t);
  const mask = new Uint8Array(enc.kept.length * t);
  enc.kept.forEach((k, row) => {
    labels.set(tox.labels.subarray(k * t, (k + 1) * t), row * t);
    mask.set(tox.mask.subarray(k * t, (k + 1) * t), row * t);
  });
  try {
    return { head: fitToxicityHead(codes, labels, mask, TOX21_ASSAYS, options), molecules: enc.kept.length, dropped: enc.dropped };
  } finally {
    codes.dispose();
  }
}
