/**
 * The console's build (scripts/start.ts runs it through console/scripts/build.ts when the sources
 * changed). Routes are lazy chunks; React and Ant Design are split into their own long-cached
 * chunks; nothing is fetched from the internet at run time (no CDN, fonts are the system's).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  mode: 'production',
  // Always the production builds of React and Ant Design, whatever NODE_ENV the caller runs with
  // (vitest sets "test"): smaller, and no development-only class names.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    // No inline <script> in index.html and no data: URLs for scripts (CSP script-src 'self').
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      // Ant Design marks its modules "use client" (React Server Components); a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic', development: false } },
  server: { fs: { allow: [path.resolve(here, '..')] } },
});
