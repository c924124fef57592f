import { wuFlierlFashion, wuFlierlMnist } from './wu-flierl.mjs';
import xuDurrett20ng from './xu-durrett-20ng.mjs';
import xuDurrettPtb from './xu-durrett-ptb.mjs';

/** Every experiment `pnpm reproduce` knows, by name. */
export const experiments = Object.fromEntries([xuDurrett20ng, xuDurrettPtb, wuFlierlMnist, wuFlierlFashion].map((e) => [e.name, e]));
