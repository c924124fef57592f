/** The kernels the native backend runs on onnxruntime or its compiled loops; everything else is the wasm backend's own. */
import { batchMatMulConfig } from './batch-matmul.js';
import { castConfig } from './cast.js';
import { concatConfig, packConfig } from './concat.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { conv2DConfig, fusedConv2DConfig } from './conv2d.js';
import { elementwiseConfigs } from './elementwise.js';
import { fusedMatMulConfig } from './fused-matmul.js';
import { identityConfig } from './identity.js';
import { reduceConfigs } from './reduce.js';
import { gatherV2Config, unsortedSegmentSumConfig } from './rows.js';
import { sliceConfig, splitVConfig, unpackConfig } from './slice.js';
import { tileConfig } from './tile.js';
export const NATIVE_KERNELS = [
    batchMatMulConfig,
    fusedMatMulConfig,
    conv2DConfig,
    fusedConv2DConfig,
    conv2DBackpropInputConfig,
    conv2DBackpropFilterConfig,
    identityConfig,
    castConfig,
    sliceConfig,
    splitVConfig,
    unpackConfig,
    concatConfig,
    packConfig,
    gatherV2Config,
    unsortedSegmentSumConfig,
    tileConfig,
    ...reduceConfigs,
    ...elementwiseConfigs,
];
//# sourceMappingURL=index.js.map