import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './shared/csp.ts';

/** Puts the CSP in index.html, strict in builds, relaxed for the dev server's hot reload. */
function csp(dev: boolean): Plugin {
  return {
    name: 'restyle-csp',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: {
          'http-equiv': 'Content-Security-Policy',
          content: contentSecurityPolicy({ dev, meta: true }),
        },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig(({ command }) => ({
  root: 'renderer',
  base: './',
  plugins: [react(), csp(command === 'serve')],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
  },
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
}));
