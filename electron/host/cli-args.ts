import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HostArgs {
  port: number;
  host: string;
  allowLan: boolean;
  dataDir: string;
  scanner: string | undefined;
  printer: string | undefined;
  wechatBaseUrl: string | undefined;
  /** `--wechat-credentials FILE [--wechat-ca FILE]`: a shared sandbox's credentials (with --sandbox only). */
  wechatCredentials: string | undefined;
  wechatCa: string | undefined;
  sandbox: boolean;
  rendererDir: string | undefined;
  /** `--hub URL --pair CODE`: enrol with a hub at start (scripted installs); both or neither. */
  hub: { hubUrl: string; pairingCode: string } | undefined;
}

export class ArgsError extends Error {}

const VALUE_FLAGS = ['--port', '--host', '--data-dir', '--scanner', '--printer', '--wechat-base-url', '--wechat-credentials', '--wechat-ca', '--renderer-dir', '--hub', '--pair'] as const;
const BOOLEAN_FLAGS = ['--sandbox', '--allow-lan'] as const;

/** Parses the web host's flags (see README "Web host"). Unknown flags are an error, never ignored. */
export function parseHostArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): HostArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    const [name, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      flags.add(name);
    } else if ((VALUE_FLAGS as readonly string[]).includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new ArgsError(`${name} needs a value`);
      values.set(name, value);
    } else {
      throw new ArgsError(`unknown option ${raw}; options: ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].join(' ')}`);
    }
  }
  const port = Number(values.get('--port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ArgsError(`--port must be 0–65535, got ${values.get('--port')}`);
  const hubUrl = values.get('--hub');
  const pairingCode = values.get('--pair');
  if ((hubUrl === undefined) !== (pairingCode === undefined)) throw new ArgsError('--hub and --pair go together: the hub URL and a pairing code made at the hub');
  if (values.has('--wechat-ca') && !values.has('--wechat-credentials')) throw new ArgsError('--wechat-ca goes with --wechat-credentials (the shared sandbox it trusts)');
  // A plain credentials file is only ever a sandbox's: a live merchant's secrets are entered in Settings, encrypted.
  if (values.has('--wechat-credentials') && !flags.has('--sandbox')) throw new ArgsError('--wechat-credentials names a shared sandbox and needs --sandbox (live credentials are entered in Settings)');
  return {
    port,
    host: values.get('--host') ?? '127.0.0.1',
    allowLan: flags.has('--allow-lan'),
    dataDir: values.get('--data-dir') ?? defaultUserDataDir(env),
    scanner: values.get('--scanner'),
    printer: values.get('--printer'),
    wechatBaseUrl: values.get('--wechat-base-url'),
    wechatCredentials: values.get('--wechat-credentials'),
    wechatCa: values.get('--wechat-ca'),
    sandbox: flags.has('--sandbox'),
    rendererDir: values.get('--renderer-dir'),
    hub: hubUrl !== undefined && pairingCode !== undefined ? { hubUrl, pairingCode } : undefined,
  };
}

/** The same folder Electron's app.getPath('userData') gives for this app, so both hosts share one database. */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const name = 'wechat-pos';
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}
