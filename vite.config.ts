import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// One HTML entry for the three windows; the window's role comes from the path (web host) or ?window= (Electron).
// base './' so the same build loads from file:// in Electron and from http:// under the web host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: false, target: 'chrome120' },
});
