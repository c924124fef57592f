/**
 * Kernels the stock tfjs backends lack or run slowly, registered once per backend. See each file for the gap it closes.
 */
const patched = new Set<string>();

export function registerKernelPatches(tfjsBackend: string): void {
  if (patched.has(tfjsBackend)) return;
  patched.add(tfjsBackend);
}
