/** The backends `initEngine` can choose, in its `auto` order; kept free of tfjs so a CLI can list them without loading it. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendChoice = BackendName | 'auto';

/** The tfjs name of @latentkit/backend-native's backend: defined here once, that package registers under it. */
export const NATIVE_TFJS_BACKEND = 'latentkit-native';
