/**
 * Jest setup: the tensor engine's wasm backend uses the deterministic matmul build in every
 * spec (STOPGRAD_WASM_FMA=0), whatever the Node version, so specs that compare backends bit for
 * bit hold everywhere; the FMA build is checked by the specs that construct it explicitly.
 */
process.env.STOPGRAD_WASM_FMA ??= '0';
