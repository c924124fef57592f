/**
 * Keeps a handle on the WebAssembly memory of the module instantiated in this test file (MinimalLib's), so the
 * memory test can watch it grow: emscripten does not expose its heap on the module object. (The project's TypeScript
 * lib has no WebAssembly declarations, hence the minimal local types.)
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WasmNamespace {
  instantiate: (...args: unknown[]) => Promise<unknown>;
  Memory: abstract new (...args: never[]) => WasmMemory;
}

const wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
const instantiate = wasm.instantiate;
wasm.instantiate = async function (this: unknown, ...args: unknown[]) {
  const result = (await instantiate.apply(this, args)) as { instance?: { exports: object }; exports?: object };
  const exports = result.instance?.exports ?? result.exports ?? {};
  for (const value of Object.values(exports)) {
    if (value instanceof wasm.Memory) (globalThis as { __latentkitWasmMemory?: WasmMemory }).__latentkitWasmMemory = value;
  }
  return result;
};
