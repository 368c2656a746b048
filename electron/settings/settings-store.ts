import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { formatBeijingCompact, type Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import { defaultSettings, settingsSchema, type Settings } from './schema';

/**
 * Where settings are kept: conf under the web host, electron-store in Electron (built on conf, same file
 * format). Both give atomic writes; validation is ours, with the zod schema, so both hosts agree exactly.
 */
export interface SettingsBackend {
  readonly path: string;
  read(): unknown;
  write(settings: Settings): void;
}

export interface LoadedSettings {
  settings: Settings;
  /** A sentence for the manager when the file was broken and defaults are in use; null when all was well. */
  problem: string | null;
  backupPath: string | null;
}

/**
 * A live install whose settings file is broken and that has no good copy to run on: it does not start (it would
 * otherwise come up on the sandbox with its demo accounts). The message says what happened and what to do.
 */
export class SettingsUnusableError extends Error {
  override readonly name = 'SettingsUnusableError';
}

export interface InspectOptions {
  /** The database says this install was set live (electron/security/live-mode.ts): never fall back to sandbox. */
  liveInstall?: boolean;
}

const BOM = '\uFEFF';

/** The copy of the settings as they last loaded or were saved whole and valid, next to the file. */
export function lastGoodPath(path: string): string {
  return `${path}.last-good`;
}

/** Written beside and renamed over: a crash leaves the old copy or the new one, never half of one. */
function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function saveLastGood(path: string, settings: Settings): void {
  writeAtomically(lastGoodPath(path), `${JSON.stringify(settings, null, '\t')}\n`);
}

/** Parses and validates settings text (a UTF-8 BOM in front is tolerated); the settings, or what is wrong. */
function parseSettings(text: string): { settings: Settings } | { problem: string } {
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(text.startsWith(BOM) ? text.slice(1) : text));
    if (parsed.success) return { settings: parsed.data };
    const issue = parsed.error.issues[0];
    return { problem: `设置项 ${issue?.path.join('.') || '(根)'} 无效：${issue?.message ?? ''}` };
  } catch (error) {
    return { problem: `设置文件不是有效的 JSON：${error instanceof Error ? error.message.slice(0, 120) : 'unreadable'}` };
  }
}

/**
 * Reads and validates the settings file before the backend opens it. A UTF-8 BOM in front (Notepad adds one) is
 * stripped and the file rewritten without it. A valid file is also kept as the last good copy. A file that does
 * not parse or does not match the schema is moved aside (never silently wiped), and the app runs on the last
 * good copy; without one, a new or sandbox install starts on the defaults (sandbox), but a live install refuses
 * to start (SettingsUnusableError), saying why: falling back to the sandbox would bring the demo accounts back.
 */
export function inspectSettingsFile(path: string, clock: Clock, options: InspectOptions = {}): LoadedSettings {
  if (!existsSync(path)) return fallBack(path, null, options, null);
  const text = readFileSync(path, 'utf8');
  const result = parseSettings(text);
  if ('settings' in result) {
    if (text.startsWith(BOM)) writeAtomically(path, text.slice(1));
    saveLastGood(path, result.settings);
    return { settings: result.settings, problem: null, backupPath: null };
  }
  const backupPath = `${path}.broken-${formatBeijingCompact(clock.now())}`;
  // Moved, not copied: the backend then starts from a clean file, and the broken one is kept for whoever fixes it.
  renameSync(path, backupPath);
  return fallBack(path, result.problem, options, backupPath);
}

function fallBack(path: string, problem: string | null, options: InspectOptions, backupPath: string | null): LoadedSettings {
  const lastGood = existsSync(lastGoodPath(path)) ? parseSettings(readFileSync(lastGoodPath(path), 'utf8')) : null;
  const usable = lastGood && 'settings' in lastGood && (!options.liveInstall || lastGood.settings.wechat.mode === 'live') ? lastGood.settings : null;
  const what = problem ?? '设置文件不见了 / the settings file is missing';
  if (usable) {
    return {
      settings: usable,
      problem: `${what}。已沿用上次有效的设置，原文件${backupPath ? `已备份为 ${backupPath}` : '不存在'} / Settings file ${problem ? 'was invalid' : 'was missing'}: running on the last good settings${backupPath ? `, original kept as ${backupPath}` : ''}`,
      backupPath,
    };
  }
  if (options.liveInstall) {
    throw new SettingsUnusableError(
      `${what}。本机已设为正式模式，不会退回沙箱（演示账号），程序不启动：请修复 ${backupPath ?? path}（或把它改回 ${path}）后再启动 / ` +
        `The settings file ${problem ? 'is invalid' : 'is missing'} and there is no good copy; this install is live, so it will not fall back to the sandbox (demo accounts). ` +
        `Not starting: fix ${backupPath ?? path} (put it back as ${path}) and start again`,
    );
  }
  if (problem === null) return { settings: defaultSettings(), problem: null, backupPath: null };
  return {
    settings: defaultSettings(),
    problem: `${problem}。已改用默认设置，原文件已备份为 ${backupPath} / Settings file was invalid; defaults in use, original kept as ${backupPath}`,
    backupPath,
  };
}

export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<(s: Settings) => void>();

  constructor(
    private readonly backend: SettingsBackend,
    loaded: LoadedSettings,
    private readonly logger: Logger,
    /** The settings file, to keep its last good copy beside it; none in tests that need no copy. */
    private readonly file: string | null = null,
  ) {
    this.current = loaded.settings;
    this.problem = loaded.problem;
    if (loaded.problem) {
      logger.warn('settings file invalid or missing, fallback in use', { backup: loaded.backupPath });
      backend.write(this.current);
    }
  }

  readonly problem: string | null;

  get(): Settings {
    return this.current;
  }

  /** Validates the whole result before anything is written; an invalid change throws and changes nothing. */
  update(change: (draft: Settings) => Settings): Settings {
    const next = settingsSchema.parse(change(structuredClone(this.current)));
    this.backend.write(next);
    if (this.file !== null) saveLastGood(this.file, next);
    this.current = next;
    for (const listener of this.listeners) listener(next);
    return next;
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Checks the file first, then opens the backend on it: the backend would refuse a broken file. */
export function openSettings(
  file: string,
  createBackend: () => SettingsBackend,
  clock: Clock,
  logger: Logger,
  options: InspectOptions = {},
): SettingsStore {
  const loaded = inspectSettingsFile(file, clock, options);
  return new SettingsStore(createBackend(), loaded, logger, file);
}
