import { LatentkitError } from '@latentkit/core/base';
import { validateConfigDoc } from '../run/run-config.js';

/**
 * A trial's run config, checked with the `--config` schema. Plugins are refused: a config that names code to load
 * would let whoever can write to the queue run code on every worker. (Install plugins on the workers instead.)
 */
export function validateTrialConfig(doc: unknown, where: string): Record<string, unknown> {
  const config = validateConfigDoc(doc, where);
  if (config.plugins !== undefined) throw new LatentkitError('INVALID_CONFIG', `${where}: plugins: not allowed in a sweep trial (workers run configs, never code)`);
  const { format: _format, versions: _versions, ...rest } = config;
  return rest;
}
