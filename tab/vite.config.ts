/** Builds the side panel (index.html) and the tab configuration page (config.html) into tab/dist, served at /tab/. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleSize } from './build/bundleSize.ts';
import { precompress } from './build/precompress.ts';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tab/',
  plugins: [react(), precompress(), bundleSize({ page: 'index.html', budgetKb: 300 })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: { index: page('index.html'), config: page('config.html') },
      output: { chunkFileNames: 'assets/shared-[hash].js' },
    },
  },
});
