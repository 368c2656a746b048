import { describe, expect, it } from 'vitest';
import { createDispatcher, type ApiHandlers, type CallGuard } from '../../../electron/host/dispatch';
import { z } from 'zod';
import { apiMethods, METHOD_NAMES, type AppInfo } from '../../../shared/api';
import { MemoryLogger } from '../../../shared/log';
import { ServiceError } from '../../../shared/result';
import { handlersFor } from '../../helpers/handlers';

const info: AppInfo = { version: '1', storeName: 's', terminalId: 'T01', sandbox: true, languages: { cashier: 'zh-CN', manager: 'zh-CN', display: 'zh-CN', receipt: 'zh-CN' }, timeZone: 'Asia/Shanghai', settingsProblem: null, voiceAnnouncements: true, dataProblems: [] };

function handlers(overrides: Partial<ApiHandlers> = {}): ApiHandlers {
  return handlersFor({ 'app.getInfo': () => info, 'app.setLanguage': () => info, 'cart.preview': () => ({ totalFen: 0 }), ...overrides });
}

const cashier = { window: 'cashier' as const, connectionId: 'c1' };

/** A cashier signed in over 'c1' (most tests are about what happens after the sign-in rule). */
const signedIn: CallGuard = { signedInRole: (id) => (id === 'c1' ? 'cashier' : null), approvalUsableBy: () => true };

describe('the dispatcher', () => {
  it('answers a valid call with its value', async () => {
    const dispatch = createDispatcher(handlers(), new MemoryLogger(), signedIn);
    expect(await dispatch('app.getInfo', {}, cashier)).toEqual({ ok: true, value: info });
  });

  it('refuses a method that is not in the contract', async () => {
    const dispatch = createDispatcher(handlers(), new MemoryLogger(), signedIn);
    expect(await dispatch('fs.readFile', {}, cashier)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses a call from a window the method is not open to', async () => {
    const dispatch = createDispatcher(handlers(), new MemoryLogger(), signedIn);
    const result = await dispatch('cart.preview', { lines: [] }, { window: 'display', connectionId: 'd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('validates the request against the contract before the handler runs', async () => {
    let ran = false;
    const dispatch = createDispatcher(handlers({ 'cart.preview': () => ((ran = true), { totalFen: 0 }) }), new MemoryLogger(), signedIn);
    const result = await dispatch('cart.preview', { lines: [], amountFen: 12.5 }, cashier);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await dispatch('cart.preview', { lines: [], extra: 1 }, cashier)).toMatchObject({ ok: false });
    expect(ran).toBe(false);
  });

  it('passes a service error through with its code and message', async () => {
    const dispatch = createDispatcher(
      handlers({ 'app.getInfo': () => { throw new ServiceError('CONFLICT', '已有进行中的支付'); } }),
      new MemoryLogger(),
      signedIn,
    );
    expect(await dispatch('app.getInfo', {}, cashier)).toEqual({ ok: false, error: { code: 'CONFLICT', message: '已有进行中的支付' } });
  });

  it('carries a service error in both languages, from its own translation or from a "中文 / English" message', async () => {
    const withReason = createDispatcher(
      handlers({ 'app.getInfo': () => { throw new ServiceError('NO_OPEN_SHIFT', '请先开班', { zh: '请先开班', en: 'Open a shift first' }); } }),
      new MemoryLogger(),
      signedIn,
    );
    expect(await withReason('app.getInfo', {}, cashier)).toEqual({
      ok: false,
      error: { code: 'NO_OPEN_SHIFT', message: '请先开班', localized: { zh: '请先开班', en: 'Open a shift first' } },
    });
    const oneString = createDispatcher(
      handlers({ 'app.getInfo': () => { throw new ServiceError('NOT_SIGNED_IN', '请先登录收银员 / Sign in first'); } }),
      new MemoryLogger(),
      signedIn,
    );
    expect(await oneString('app.getInfo', {}, cashier)).toMatchObject({ error: { localized: { zh: '请先登录收银员', en: 'Sign in first' } } });
  });

  it('says which field of a request is invalid in each language', async () => {
    const dispatch = createDispatcher(handlers(), new MemoryLogger(), signedIn);
    const result = await dispatch('cart.preview', { lines: [], amountFen: 12.5 }, cashier);
    expect(result).toMatchObject({ ok: false, error: { localized: { zh: expect.stringContaining('请求无效：amountFen') as unknown, en: expect.stringContaining('Invalid request: amountFen') as unknown } } });
  });

  it('hides the detail of an unexpected error from the window and logs only its kind', async () => {
    const logger = new MemoryLogger();
    const dispatch = createDispatcher(
      handlers({ 'app.getInfo': () => { throw new TypeError('key=SECRET-VALUE'); } }),
      logger,
      signedIn,
    );
    const result = await dispatch('app.getInfo', {}, cashier);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('SECRET-VALUE');
    expect(logger.text()).not.toContain('SECRET-VALUE');
    expect(logger.text()).toContain('TypeError');
  });

  it('runs a call that needs a sign-in only when someone is signed in over the calling connection', async () => {
    let ran = 0;
    const dispatch = createDispatcher(handlers({ 'cart.preview': () => ((ran += 1), { totalFen: 0 }) }), new MemoryLogger(), signedIn);
    expect(await dispatch('cart.preview', { lines: [] }, { window: 'cashier', connectionId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(ran).toBe(0);
    expect(await dispatch('cart.preview', { lines: [] }, cashier)).toMatchObject({ ok: true });
    // Open calls run for nobody: the PIN screen needs the app's name.
    expect(await dispatch('app.getInfo', {}, { window: 'cashier', connectionId: 'nobody' })).toMatchObject({ ok: true });
  });

  it('opens nothing in the manager window to a cashier signed in there', async () => {
    const cashierAtManager: CallGuard = { signedInRole: () => 'cashier', approvalUsableBy: () => true };
    const dispatch = createDispatcher(handlersFor({ 'auth.listUsers': () => [] }), new MemoryLogger(), cashierAtManager);
    expect(await dispatch('auth.listUsers', {}, { window: 'manager', connectionId: 'm' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const managerGuard: CallGuard = { signedInRole: () => 'manager', approvalUsableBy: () => true };
    const asManager = createDispatcher(handlersFor({ 'auth.listUsers': () => [] }), new MemoryLogger(), managerGuard);
    expect(await asManager('auth.listUsers', {}, { window: 'manager', connectionId: 'm' })).toEqual({ ok: true, value: [] });
  });

  it('refuses an approval token handed to another window before the handler runs', async () => {
    let ran = false;
    const guard: CallGuard = { signedInRole: () => 'manager', approvalUsableBy: (token, connectionId) => token === 'x'.repeat(16) && connectionId === 'm1' };
    const dispatch = createDispatcher(handlersFor({ 'users.unlock': () => ((ran = true), null as never) }), new MemoryLogger(), guard);
    const request = { userId: 'u-1', approvalToken: 'x'.repeat(16) };
    expect(await dispatch('users.unlock', request, { window: 'manager', connectionId: 'm2' })).toMatchObject({ ok: false, error: { code: 'APPROVAL_INVALID' } });
    expect(ran).toBe(false);
    await dispatch('users.unlock', request, { window: 'manager', connectionId: 'm1' });
    expect(ran).toBe(true);
  });
});

describe("the contract's audiences", () => {
  it('leaves open to nobody signed in only what a window needs before anyone signs in', () => {
    const open = METHOD_NAMES.filter((m) => apiMethods[m].access === 'open').sort();
    expect(open).toEqual(
      ['app.getInfo', 'app.setLanguage', 'auth.current', 'auth.signIn', 'auth.signOut', 'counter.getState', 'setup.createOwner', 'setup.getState', 'setup.showCode', 'sync.getStatus'].sort(),
    );
    expect(apiMethods['cart.preview'].access).toBe('signed-in');
    expect(apiMethods['auth.listUsers']).toMatchObject({ access: 'signed-in', windows: ['manager'] });
  });

  it('lets the customer display call nothing that acts', () => {
    expect(METHOD_NAMES.filter((m) => (apiMethods[m].windows as readonly string[]).includes('display'))).toEqual(['app.getInfo']);
  });

  it('names every approval token in a request approvalToken, the field the dispatcher checks', () => {
    for (const method of METHOD_NAMES) {
      const text = JSON.stringify(z.toJSONSchema(apiMethods[method].request, { unrepresentable: 'any' }));
      const tokenFields = [...text.matchAll(/"(\w*[Tt]oken\w*)":/g)].map((m) => m[1]);
      for (const field of tokenFields) expect(field, method).toBe('approvalToken');
    }
  });
});
