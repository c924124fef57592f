import { wuFlierlFashion, wuFlierlMnist } from './wu-flierl.mjs';
import xuDurrett20ng from './xu-durrett-20ng.mjs';

/** Every experiment `pnpm reproduce` knows, by name. */
export const experiments = Object.fromEntries([xuDurrett20ng, wuFlierlMnist, wuFlierlFashion].map((e) => [e.name, e]));
