import xuDurrett20ng from './xu-durrett-20ng.mjs';

/** Every experiment `pnpm reproduce` knows, by name. */
export const experiments = { [xuDurrett20ng.name]: xuDurrett20ng };
