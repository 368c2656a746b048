import { existsSync, readFileSync, renameSync } from 'node:fs';
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
 * Reads and validates the settings file before the backend opens it. A file that does not parse or does not
 * match the schema is moved aside (never silently wiped), the defaults are used, and the reason is returned
 * for the screens to show.
 */
export function inspectSettingsFile(path: string, clock: Clock): LoadedSettings {
  if (!existsSync(path)) return { settings: defaultSettings(), problem: null, backupPath: null };
  let problem: string;
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return { settings: parsed.data, problem: null, backupPath: null };
    const issue = parsed.error.issues[0];
    problem = `设置项 ${issue?.path.join('.') || '(根)'} 无效：${issue?.message ?? ''}`;
  } catch (error) {
    problem = `设置文件不是有效的 JSON：${error instanceof Error ? error.message.slice(0, 120) : 'unreadable'}`;
  }
  const backupPath = `${path}.broken-${formatBeijingCompact(clock.now())}`;
  // Moved, not copied: the backend then starts from a clean file, and the broken one is kept for whoever fixes it.
  renameSync(path, backupPath);
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
  ) {
    this.current = loaded.settings;
    this.problem = loaded.problem;
    if (loaded.problem) {
      logger.warn('settings file invalid, defaults in use', { backup: loaded.backupPath });
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
export function openSettings(file: string, createBackend: () => SettingsBackend, clock: Clock, logger: Logger): SettingsStore {
  const loaded = inspectSettingsFile(file, clock);
  return new SettingsStore(createBackend(), loaded, logger);
}
