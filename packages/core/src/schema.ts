/**
 * Config validation: zod schemas and `parseConfig`, which turns zod's issues into one INVALID_CONFIG error. A
 * separate entry because zod (8 MB) is an optional peer of core: the packages that validate configs (bottlenecks,
 * data, models, sweep, …) depend on it, while an install of core or distributions alone goes without. Loads no tfjs.
 */
export { closestKey, configIssues, objectKeys, parseConfig, schemas, z } from './config.js';
export type { ConfigIssue } from './config.js';
