// Builds what the app runs: the renderer (Vite) and the main-side bundles (esbuild) into dist/.
//   dist/renderer/            the three windows' page
//   dist/electron/main.mjs    Electron main          dist/electron/serve.mjs   the web host
//   dist/electron/preload-*.cjs  sandboxed preloads (self-contained: sandboxed preloads cannot load modules)
// `--if-stale` skips the build when dist/ is newer than every source file.
import { build as esbuild } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build as viteBuild } from 'vite';

const SOURCES = ['electron', 'renderer', 'shared', 'package.json', 'vite.config.ts'];
const OUTPUTS = ['dist/renderer/index.html', 'dist/electron/serve.mjs', 'dist/electron/main.mjs'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function isStale() {
  if (!OUTPUTS.every((p) => existsSync(p))) return true;
  const built = Math.min(...OUTPUTS.map((p) => statSync(p).mtimeMs));
  return Math.max(...SOURCES.map(newestMtime)) > built;
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

// ESM bundles that still contain CommonJS dependencies need a require().
const esmRequire = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";
const node = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning', sourcemap: 'linked' };

await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
await esbuild({
  ...node,
  format: 'esm',
  banner: { js: esmRequire },
  entryPoints: { main: 'electron/main.ts', serve: 'electron/serve.ts', sandbox: 'electron/sandbox/cli.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.mjs' },
});
await esbuild({
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  target: 'chrome120',
  external: ['electron'],
  logLevel: 'warning',
  entryPoints: Object.fromEntries(['cashier', 'display', 'manager'].map((r) => [`preload-${r}`, `electron/preload/${r}.ts`])),
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
});
process.stdout.write('built dist/renderer and dist/electron\n');
