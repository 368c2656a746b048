import { describe, expect, it } from 'vitest';
import { createSecurityHandlers } from '../../../electron/security/handlers';
import { createSecurity } from '../../../electron/security/security';
import { securityRequests } from '../../../shared/security';
import { makeHarness, openSecurityDb, TEST_SCRYPT, tempDir } from './fixture';
import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import { defaultSecuritySettings } from '../../../electron/security/security-settings';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { join } from 'node:path';

const managerWindow = { window: 'manager' as const, connectionId: 'm1' };

/** The security services with a host that "shows" the setup code by recording it (a console or a dialog). */
function withShownCodes() {
  const shown: string[] = [];
  const dataDir = tempDir();
  const logger = new MemoryLogger();
  const security = createSecurity({
    db: openSecurityDb(),
    dataDir,
    clock: new ManualClock(Date.UTC(2026, 4, 1)),
    logger,
    settings: () => defaultSecuritySettings(),
    demoAllowed: () => false,
    cipher: openKeyFileCipher(join(dataDir, 'secret.key'), { logger }),
    scryptCost: TEST_SCRYPT,
    showSetupCode: (code) => shown.push(code),
  });
  return { security, shown, logger, api: createSecurityHandlers(security) };
}

const owner = (setupCode: string) => securityRequests.createOwner.parse({ name: '老板', pin: '246813', setupCode });

describe('the first-run setup code', () => {
  it('creates the owner only with the code shown where the app runs, and works once', () => {
    const { security, shown, api } = withShownCodes();
    expect(api['setup.showCode']({}, managerWindow)).toEqual({ shown: true });
    const code = shown[0] ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(() => api['setup.createOwner'](owner('0000-0000-0000'), managerWindow)).toThrow(expect.objectContaining({ code: 'SETUP_CODE_WRONG' }));
    // Typed in lower case without the dashes is the same code.
    const created = api['setup.createOwner'](owner(code.replace(/-/g, '').toLowerCase()), managerWindow) as { role: string };
    expect(created.role).toBe('owner');
    expect(security.setupCode.current()).toBeNull();
    expect(() => api['setup.createOwner'](owner(code), managerWindow)).toThrow(expect.objectContaining({ code: 'SETUP_DONE' }));
    expect(api['setup.showCode']({}, managerWindow)).toEqual({ shown: false });
  });

  it('keeps the code when the owner is refused for another reason (a weak PIN)', () => {
    const { security, api } = withShownCodes();
    const code = security.setupCode.current() ?? '';
    expect(() => api['setup.createOwner'](securityRequests.createOwner.parse({ name: '老板', pin: '123456', setupCode: code }), managerWindow)).toThrow(
      expect.objectContaining({ code: 'PIN_WEAK' }),
    );
    expect(security.setupCode.current()).toBe(code);
  });

  it('replaces the code after five wrong ones and shows the new one where the app runs, never in the answer', () => {
    const { security, shown, api } = withShownCodes();
    const first = security.setupCode.current() ?? '';
    const refusals: unknown[] = [];
    for (let i = 0; i < 5; i += 1) {
      try {
        void api['setup.createOwner'](owner('WRNG-WRNG-WRNG'), managerWindow);
      } catch (error) {
        refusals.push(error);
      }
    }
    expect(refusals.at(-1)).toMatchObject({ code: 'SETUP_CODE_REPLACED' });
    const second = shown.at(-1) ?? '';
    expect(second).not.toBe(first);
    expect(JSON.stringify(refusals.map((e) => [(e as Error).message, (e as { localized?: unknown }).localized]))).not.toContain(second);
    expect(() => api['setup.createOwner'](owner(first), managerWindow)).toThrow(expect.objectContaining({ code: 'SETUP_CODE_WRONG' }));
    expect((api['setup.createOwner'](owner(second), managerWindow) as { role: string }).role).toBe('owner');
    expect(security.audit.list(null, 20).filter((e) => e.action === 'setup.code-refused')).toHaveLength(6);
  });

  it('is not needed, and not issued, once a real owner exists', () => {
    const h = makeHarness();
    h.security.people.createOwner('老板', '246813');
    expect(h.security.setupCode.current()).toBeNull();
  });
});

describe('approvals', () => {
  it('are usable only over the connection they were handed to, and die with it', () => {
    const h = makeHarness();
    h.security.people.createOwner('老板', '246813');
    const api = createSecurityHandlers(h.security);
    const grant = api['approval.request'](securityRequests.approve.parse({ action: 'settings-change', pin: '246813' }), managerWindow) as { token: string };
    expect(h.security.approvals.usableBy(grant.token, 'm1')).toBe(true);
    expect(h.security.approvals.usableBy(grant.token, 'm2')).toBe(false);
    h.security.approvals.forgetConnection('m1');
    expect(h.security.approvals.usableBy(grant.token, 'm1')).toBe(true); // unknown now: the gate refuses it in words
    expect(h.security.approvals.consume(grant.token, 'settings-change', null)).not.toHaveProperty('token');
  });
});
