import { LatentkitError } from '@latentkit/core/base';
import { validateConfigDoc } from '../run/run-config.js';

/**
 * A trial's run config, checked with the `--config` schema. Plugins are refused: a config that names code to load
 * would let whoever can write to the queue run code on every worker. (Install plugins on the workers instead.)
 */
export function validateTrialConfig(doc: unknown, where: string): Record<string, unknown> {
  const config = validateConfigDoc(doc, where);
  if (config.plugins !== undefined)
    throw new LatentkitError('INVALID_CONFIG', `${where}: plugins: not allowed in a sweep trial (workers run configs, never code)`);
  const { format: _format, versions: _versions, ...rest } = config;
  return rest;
}

/**
 * Every trial resolved exactly as `latentkit train --config` would resolve it (kinds, schemas, defaults), before
 * anything is queued or trained: a typo in a grid key fails the sweep at once, naming the trial and the key. The
 * data of each distinct data spec is loaded once (its shape picks the model's defaults).
 */
export async function checkTrials(trials: readonly { id: string; config: Readonly<Record<string, unknown>> }[], seed: number): Promise<void> {
  const { loadData } = await import('@latentkit/data');
  const { dataSpecFrom, modelConfigFrom, trainerConfigFrom } = await import('../run/run-config.js');
  const loaded = new Map<string, Awaited<ReturnType<typeof loadData>>>();
  for (const trial of trials) {
    const where = `trial ${trial.id}`;
    const file = validateTrialConfig(trial.config, where);
    const trainerSeed = (file.trainer as { seed?: unknown } | undefined)?.seed;
    const flags = { seed: typeof trainerSeed === 'number' ? trainerSeed : seed };
    try {
      const spec = dataSpecFrom(flags, file);
      const key = JSON.stringify(spec);
      const data = loaded.get(key) ?? (await loadData(spec));
      loaded.set(key, data);
      trainerConfigFrom(flags, file, modelConfigFrom(flags, file, data));
    } catch (e) {
      if (e instanceof LatentkitError) throw new LatentkitError(e.code, `${where}: ${e.message}`, e.details);
      throw e;
    }
  }
}
