/** The tfjs backend name this package registers: core's, so the two can never disagree. */
export { NATIVE_TFJS_BACKEND as NATIVE_BACKEND } from '@latentkit/core/base';
//# sourceMappingURL=names.js.map