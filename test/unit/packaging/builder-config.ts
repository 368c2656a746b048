import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { load } from 'js-yaml';

/** The parts of electron-builder.yml the packaging tests look at (the file itself is validated by electron-builder's schema). */
export interface TargetEntry {
  target: string;
  arch?: string[];
}

export interface BuilderConfig {
  appId: string;
  productName: string;
  executableName?: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  win: { target: TargetEntry[]; icon: string };
  nsis: {
    oneClick: boolean;
    perMachine: boolean;
    selectPerMachineByDefault?: boolean;
    allowElevation: boolean;
    shortcutName: string;
    uninstallDisplayName: string;
    installerIcon: string;
    uninstallerIcon: string;
    unicode: boolean;
    language: string;
    installerLanguages: string[];
  };
  linux: { target: TargetEntry[]; icon: string; maintainer: string; desktop: { entry: Record<string, string> } };
}

export const repoRoot = join(import.meta.dirname, '..', '..', '..');

export function loadRawBuilderConfig(): unknown {
  return load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8'));
}

export function loadBuilderConfig(): BuilderConfig {
  return loadRawBuilderConfig() as BuilderConfig;
}

interface ElectronBuilderChecks {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean }): Promise<void>;
  checkMetadata(metadata: unknown, devMetadata: unknown, appPackageFile: string, devAppPackageFile: string): void;
}

/** electron-builder's own checks (schema and package.json rules), the ones `electron-builder` runs before packing. */
export function electronBuilderChecks(): ElectronBuilderChecks {
  const require = createRequire(join(repoRoot, 'package.json'));
  const config = require('app-builder-lib/out/util/config/config') as Pick<ElectronBuilderChecks, 'validateConfiguration'>;
  const metadata = require('app-builder-lib/out/util/packageMetadata') as Pick<ElectronBuilderChecks, 'checkMetadata'>;
  return { validateConfiguration: config.validateConfiguration, checkMetadata: metadata.checkMetadata };
}

/**
 * Whether a relative path (with /) matches an electron-builder glob: `**` any folders, `*` within one segment,
 * `{a,b}` alternatives. Enough for this config's patterns; negations are handled by the caller.
 */
export function matchesGlob(path: string, pattern: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '{') source += '(?:';
    else if (char === '}') source += ')';
    else if (char === ',') source += '|';
    else source += char.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(path);
}

/** Whether electron-builder's `files` list (positive globs, then `!` exclusions) keeps a path. */
export function isPacked(path: string, files: readonly string[]): boolean {
  const included = files.filter((p) => !p.startsWith('!')).some((p) => matchesGlob(path, p));
  const excluded = files.filter((p) => p.startsWith('!')).some((p) => matchesGlob(path, p.slice(1)));
  return included && !excluded;
}
