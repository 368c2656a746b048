import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { electronBuilderChecks, isPacked, loadBuilderConfig, loadRawBuilderConfig, matchesGlob, repoRoot } from './builder-config';

const config = loadBuilderConfig();
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function targetsOf(entries: readonly { target: string; arch?: string[] }[]): string[] {
  return entries.flatMap((entry) => (entry.arch ?? ['x64']).map((arch) => `${entry.target}/${arch}`));
}

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own schema validation', async () => {
    await expect(electronBuilderChecks().validateConfiguration(loadRawBuilderConfig(), { isEnabled: false })).resolves.toBeUndefined();
  });

  it('passes electron-builder\'s package.json checks (electron only as a devDependency)', () => {
    const file = join(repoRoot, 'package.json');
    expect(() => electronBuilderChecks().checkMetadata(packageJson, packageJson, file, file)).not.toThrow();
    expect(packageJson.dependencies).not.toHaveProperty('electron');
  });

  it('builds a Windows x64 NSIS installer and Linux x64 AppImage and deb packages', () => {
    expect(targetsOf(config.win.target)).toEqual(['nsis/x64']);
    expect(targetsOf(config.linux.target).sort()).toEqual(['AppImage/x64', 'deb/x64']);
  });

  it('has a reverse-DNS app id and an ASCII product and executable name', () => {
    expect(config.appId).toMatch(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*){2,}$/);
    expect(config.productName).toBe('WeChat POS');
    expect(config.executableName).toMatch(/^[a-z0-9-]+$/);
  });

  it('names the product in Chinese and English where people see it', () => {
    expect(config.nsis.shortcutName).toBe('微信收银台');
    expect(config.nsis.uninstallDisplayName).toContain('微信收银台');
    expect(config.nsis.uninstallDisplayName).toContain('WeChat POS');
    expect(config.linux.desktop.entry['Name[zh_CN]']).toBe('微信收银台');
    expect(config.linux.desktop.entry.Name).toBe('WeChat POS');
  });

  it('offers a per-machine install for shared counter PCs, Chinese first with English available', () => {
    expect(config.nsis.oneClick).toBe(false);
    // perMachine false + oneClick false = the "all users / only me" page; all users is preselected.
    expect(config.nsis.perMachine).toBe(false);
    expect(config.nsis.selectPerMachineByDefault).toBe(true);
    expect(config.nsis.allowElevation).toBe(true);
    expect(config.nsis.unicode).toBe(true);
    expect(config.nsis.language).toBe('2052');
    expect(config.nsis.installerLanguages).toEqual(['zh_CN', 'en_US']);
  });

  it('packs the built bundles, the pages and package.json, and not source maps', () => {
    expect(isPacked('package.json', config.files)).toBe(true);
    expect(isPacked(packageJson.main, config.files)).toBe(true);
    for (const role of ['cashier', 'display', 'manager']) expect(isPacked(`dist/electron/preload-${role}.cjs`, config.files)).toBe(true);
    expect(isPacked('dist/renderer/index.html', config.files)).toBe(true);
    expect(isPacked('dist/renderer/assets/index-abc.js', config.files)).toBe(true);
    expect(isPacked('dist/electron/main.mjs.map', config.files)).toBe(false);
    expect(isPacked('electron/app.ts', config.files)).toBe(false);
    expect(isPacked('test/unit/packaging/builder-config.ts', config.files)).toBe(false);
  });

  it('unpacks the native modules from asar and rebuilds them from source for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/@serialport/bindings-cpp/**']));
    const unpacked = (path: string): boolean => config.asarUnpack.some((pattern) => matchesGlob(path, pattern));
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('node_modules/@serialport/bindings-cpp/build/Release/bindings.node')).toBe(true);
    expect(unpacked('node_modules/zod/index.js')).toBe(false);
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    for (const native of ['better-sqlite3', 'serialport']) expect(packageJson.dependencies).toHaveProperty(native);
  });

  it('refers only to icons that exist and decode at the sizes their names say', () => {
    const resources = join(repoRoot, config.directories.buildResources);
    for (const file of [config.win.icon, config.nsis.installerIcon, config.nsis.uninstallerIcon]) expect(existsSync(join(repoRoot, file))).toBe(true);
    const linuxIcons = join(repoRoot, config.linux.icon);
    const names = readdirSync(linuxIcons);
    expect(names).toEqual(expect.arrayContaining(['16x16.png', '48x48.png', '256x256.png', '512x512.png']));
    for (const name of names) {
      const png = PNG.sync.read(readFileSync(join(linuxIcons, name)));
      expect(`${png.width}x${png.height}.png`).toBe(name);
    }
    const large = PNG.sync.read(readFileSync(join(resources, 'icon.png')));
    expect([large.width, large.height]).toEqual([1024, 1024]);
  });

  it('ships a Windows icon with every size up to 256 px', () => {
    const ico = readFileSync(join(repoRoot, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const at = 6 + i * 16;
      const size = ico.readUInt8(at) || 256;
      sizes.push(size);
      const length = ico.readUInt32LE(at + 8);
      const offset = ico.readUInt32LE(at + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      if (size === 256) expect(PNG.sync.read(ico.subarray(offset, offset + length)).width).toBe(256);
      else expect(ico.readInt32LE(offset + 4)).toBe(size);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });
});
