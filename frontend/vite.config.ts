/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Typed here so the app's tsconfig needs no @types/node.
declare const process: { env: Record<string, string | undefined> };

const backend = process.env.SUPPORTAI_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  // No React plugin: Vite's built-in transformer handles TSX with the automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    port: 5173,
    // '/api/' with the slash: '/api' would also swallow the SPA route /api-keys.
    proxy: {
      '/api/': { target: backend },
      '/health': { target: backend },
    },
  },
  preview: {
    proxy: {
      '/api/': { target: backend },
      '/health': { target: backend },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-router ships "use client" directives, which mean nothing in an SPA bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    restoreMocks: true,
    // The first test of a file also pays for compiling it; on a shared, busy machine that alone can pass 5 s.
    testTimeout: 15_000,
  },
});
