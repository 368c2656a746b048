import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHostProcess, type WebHostProcess } from '../../helpers/web-host-process';
import { isPacked, loadBuilderConfig, repoRoot } from '../../unit/packaging/builder-config';

// What the installer would contain, built the way `npm run dist` builds it, then started under plain Node: the
// web host runs the same bundled main-side code as Electron, so a missing module or file shows up here.
const config = loadBuilderConfig();
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [relative(repoRoot, path).split('\\').join('/')];
  });
}

/** Bare package names a bundle imports or requires at run time (they must come from node_modules). */
function externalPackages(bundle: string): Set<string> {
  const source = readFileSync(join(repoRoot, bundle), 'utf8');
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)].map((m) => m[1] ?? '');
  const builtins = new Set(builtinModules);
  return new Set(
    specifiers
      .filter((s) => !s.startsWith('node:') && !builtins.has(s) && s !== 'electron')
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s))),
  );
}

describe('the packaged bundle', () => {
  let host: WebHostProcess | undefined;

  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, stdio: 'pipe' });
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
  });

  it('contains every file the installer configuration refers to', () => {
    const dist = listFiles(join(repoRoot, 'dist'));
    const packed = dist.filter((file) => isPacked(file, config.files));
    const expected = [packageJson.main, 'dist/electron/serve.mjs', 'dist/electron/sandbox.mjs', 'dist/renderer/index.html'];
    expected.push(...['cashier', 'display', 'manager'].map((role) => `dist/electron/preload-${role}.cjs`));
    expect(packed).toEqual(expect.arrayContaining(expected));
    // Every positive pattern of `files` matches something that exists.
    for (const pattern of config.files.filter((p) => !p.startsWith('!'))) {
      expect([...dist, 'package.json'].some((file) => isPacked(file, [pattern])), pattern).toBe(true);
    }
    // The page's scripts and styles are packed with it.
    const index = readFileSync(join(repoRoot, 'dist/renderer/index.html'), 'utf8');
    for (const [, asset] of index.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)) expect(packed).toContain(`dist/renderer/${asset ?? ''}`);
  });

  it('needs no package at run time beyond the production dependencies the installer ships', () => {
    for (const bundle of [packageJson.main, 'dist/electron/serve.mjs', 'dist/electron/sandbox.mjs']) {
      const missing = [...externalPackages(bundle)].filter((name) => !(name in packageJson.dependencies));
      expect(missing, bundle).toEqual([]);
    }
  });

  it('starts the bundled web host with the sandbox and serves the cashier page with its token', async () => {
    host = await startWebHostProcess(['--sandbox']);
    expect(host.tokens.cashier).toMatch(/\S{16,}/);
    const page = await fetch(host.urls.cashier);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="root"');
    const withoutToken = await fetch(`${host.origin}/`);
    expect(withoutToken.status).toBe(403);
  });
});
