import { describe, expect, it } from 'vitest';
import { ArgsError, defaultUserDataDir, parseHostArgs } from '../../../electron/host/cli-args';

describe('web host options', () => {
  it('take every documented flag', () => {
    const args = parseHostArgs([
      '--port', '0', '--data-dir', '/tmp/d', '--scanner', '/dev/ttyUSB0', '--printer', 'tcp://127.0.0.1:9100',
      '--wechat-base-url', 'https://example.test', '--sandbox',
    ]);
    expect(args).toMatchObject({ port: 0, dataDir: '/tmp/d', scanner: '/dev/ttyUSB0', printer: 'tcp://127.0.0.1:9100', wechatBaseUrl: 'https://example.test', sandbox: true, host: '127.0.0.1', allowLan: false });
  });

  it('accept --flag=value', () => {
    expect(parseHostArgs(['--port=8080']).port).toBe(8080);
  });

  it('reject an unknown flag, a missing value and a bad port', () => {
    expect(() => parseHostArgs(['--sandbx'])).toThrow(ArgsError);
    expect(() => parseHostArgs(['--data-dir'])).toThrow(/needs a value/);
    expect(() => parseHostArgs(['--port', '70000'])).toThrow(/--port/);
  });

  it('take --hub and --pair together for a scripted enrolment, and refuse one without the other', () => {
    expect(parseHostArgs([]).hub).toBeUndefined();
    expect(parseHostArgs(['--hub', 'https://hub.example.com', '--pair', 'ABCD-EFGH-23']).hub).toEqual({ hubUrl: 'https://hub.example.com', pairingCode: 'ABCD-EFGH-23' });
    expect(() => parseHostArgs(['--hub', 'https://hub.example.com'])).toThrow(/--pair/);
    expect(() => parseHostArgs(['--pair', 'ABCDEFGH23'])).toThrow(/--hub/);
  });

  it('take a shared sandbox (--wechat-credentials, --wechat-ca) only in sandbox mode, the CA only with its credentials', () => {
    const args = parseHostArgs(['--sandbox', '--wechat-credentials', '/tmp/creds.json', '--wechat-ca', '/tmp/ca.pem', '--wechat-base-url', 'https://127.0.0.1:8443']);
    expect(args).toMatchObject({ sandbox: true, wechatCredentials: '/tmp/creds.json', wechatCa: '/tmp/ca.pem', wechatBaseUrl: 'https://127.0.0.1:8443' });
    expect(() => parseHostArgs(['--wechat-credentials', '/tmp/creds.json'])).toThrow(/needs --sandbox/);
    expect(() => parseHostArgs(['--sandbox', '--wechat-ca', '/tmp/ca.pem'])).toThrow(/goes with --wechat-credentials/);
  });

  it('default the data folder to where Electron keeps user data on each system', () => {
    expect(defaultUserDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/wechat-pos$/);
    expect(defaultUserDataDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux')).toBe('/home/a/.config/wechat-pos');
  });
});
