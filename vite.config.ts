import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Two HTML entries: renderer/index.html for the counter's three windows (the window's role comes from the path under
// the web host or ?window= in Electron), and renderer/hub/index.html for the head office's pages that the hub serves
// (dist/renderer/hub/index.html, sharing dist/renderer/assets/). base './' so the same build loads from file:// in
// Electron and from http:// under the web host and the hub.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome120',
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        hub: fileURLToPath(new URL('./renderer/hub/index.html', import.meta.url)),
      },
    },
  },
});
