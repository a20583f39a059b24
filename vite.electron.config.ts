import { defineConfig } from 'vite';

/**
 * Builds main (`--mode main`) and the preload (`--mode preload`) as CommonJS
 * bundles for Electron. Native and WASM-loading modules stay external (they
 * are unpacked from the asar by electron-builder); everything else is bundled.
 * The sandboxed preload may require nothing but electron.
 */
const NATIVE = ['electron', 'sharp', 'heic-decode', 'libheif-js'];

export default defineConfig(({ mode }) => {
  const entry = mode === 'preload' ? 'electron/preload/index.ts' : 'electron/main/index.ts';
  const outDir = mode === 'preload' ? 'out/preload' : 'out/main';
  return {
    publicDir: false,
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: true,
      target: 'node22',
      sourcemap: true,
      minify: false,
      rollupOptions: {
        external: (id: string) =>
          id.startsWith('node:') || NATIVE.some((name) => id === name || id.startsWith(`${name}/`)),
        output: { format: 'cjs', entryFileNames: 'index.cjs' },
      },
    },
  };
});
