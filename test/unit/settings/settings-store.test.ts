import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { defaultSettings } from '../../../electron/settings/schema';
import { openSettings, type SettingsStore } from '../../../electron/settings/settings-store';
import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';

const clock = new ManualClock(Date.UTC(2026, 10, 23, 2, 0, 0));

function open(dir: string): SettingsStore {
  return openSettings(settingsPath(dir), () => createConfBackend(dir), clock, new MemoryLogger());
}

describe('settings', () => {
  it('start with working defaults on a new install: the embedded sandbox, Chinese, terminal T01', () => {
    const store = open(mkdtempSync(join(tmpdir(), 'settings-')));
    expect(store.get()).toEqual(defaultSettings());
    expect(store.get()).toMatchObject({ language: 'zh-CN', terminalId: 'T01', wechat: { mode: 'sandbox' } });
    expect(store.problem).toBeNull();
  });

  it("keep the store's time zone: Beijing by default, a known zone accepted, an unknown name refused", () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    const store = open(dir);
    expect(store.get().timeZone).toBe('Asia/Shanghai');
    store.update((s) => ({ ...s, timeZone: 'Asia/Hong_Kong' }));
    expect(open(dir).get().timeZone).toBe('Asia/Hong_Kong');
    expect(() => store.update((s) => ({ ...s, timeZone: 'Mars/Olympus' }))).toThrow();
    expect(store.get().timeZone).toBe('Asia/Hong_Kong');
  });

  it('survive a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    open(dir).update((s) => ({ ...s, storeName: '街角便利店' }));
    expect(open(dir).get().storeName).toBe('街角便利店');
  });

  it('refuse an invalid change and keep the previous value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    const store = open(dir);
    expect(() => store.update((s) => ({ ...s, terminalId: 'T 01!' }))).toThrow();
    expect(store.get().terminalId).toBe('T01');
    expect(open(dir).get().terminalId).toBe('T01');
  });

  it('fall back to defaults with a clear message when the file is not JSON, keeping a copy of the broken file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(settingsPath(dir), '{"storeName": "半截');
    const store = open(dir);
    expect(store.get()).toEqual(defaultSettings());
    expect(store.problem).toMatch(/不是有效的 JSON/);
    const backups = readdirSync(dir).filter((f) => f.includes('.broken-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe('{"storeName": "半截');
  });

  it('fall back to defaults when a value was hand-edited into something invalid, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(settingsPath(dir), JSON.stringify({ ...defaultSettings(), printer: { uri: '', paperWidthMm: 76, autoPrint: true } }));
    const store = open(dir);
    expect(store.problem).toContain('printer.paperWidthMm');
    expect(store.get().printer.paperWidthMm).toBe(80);
    expect(readdirSync(dir).some((f) => f.includes('.broken-'))).toBe(true);
  });

  it('write a valid file after recovering, so the next start is clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(settingsPath(dir), 'garbage');
    open(dir);
    expect(existsSync(settingsPath(dir))).toBe(true);
    expect(open(dir).problem).toBeNull();
  });

  it('tolerate a UTF-8 BOM in front of the file (Notepad writes one): the settings are used and the file is rewritten without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(settingsPath(dir), `\uFEFF${JSON.stringify({ ...defaultSettings(), storeName: '街角便利店', wechat: { ...defaultSettings().wechat, mode: 'live' } })}`);
    const store = open(dir);
    expect(store.problem).toBeNull();
    expect(store.get()).toMatchObject({ storeName: '街角便利店', wechat: { mode: 'live' } });
    expect(readFileSync(settingsPath(dir), 'utf8').startsWith('\uFEFF')).toBe(false);
  });

  it('fall back to the last good settings, not the defaults, when the file breaks after a good start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    open(dir).update((s) => ({ ...s, storeName: '街角便利店', wechat: { ...s.wechat, mode: 'live' } }));
    writeFileSync(settingsPath(dir), '{"storeName": "半截');
    const store = open(dir);
    expect(store.get()).toMatchObject({ storeName: '街角便利店', wechat: { mode: 'live' } });
    expect(store.problem).toMatch(/上次有效的设置/);
  });
});
