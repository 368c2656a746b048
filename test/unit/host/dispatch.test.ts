import { describe, expect, it } from 'vitest';
import { createDispatcher, type ApiHandlers } from '../../../electron/host/dispatch';
import type { AppInfo } from '../../../shared/api';
import { MemoryLogger } from '../../../shared/log';
import { ServiceError } from '../../../shared/result';
import { handlersFor } from '../../helpers/handlers';

const info: AppInfo = { version: '1', storeName: 's', terminalId: 'T01', sandbox: true, language: 'zh-CN', settingsProblem: null, voiceAnnouncements: true, dataProblems: [] };

function handlers(overrides: Partial<ApiHandlers> = {}): ApiHandlers {
  return handlersFor({ 'app.getInfo': () => info, 'app.setLanguage': () => info, 'cart.preview': () => ({ totalFen: 0 }), ...overrides });
}

const cashier = { window: 'cashier' as const, connectionId: 'c1' };

describe('the dispatcher', () => {
  it('answers a valid call with its value', async () => {
    const dispatch = createDispatcher(handlers(), new MemoryLogger());
    expect(await dispatch('app.getInfo', {}, cashier)).toEqual({ ok: true, value: info });
  });

  it('refuses a method that is not in the contract', async () => {
    const dispatch = createDispatcher(handlers(), new MemoryLogger());
    expect(await dispatch('fs.readFile', {}, cashier)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses a call from a window the method is not open to', async () => {
    const dispatch = createDispatcher(handlers(), new MemoryLogger());
    const result = await dispatch('cart.preview', { lines: [] }, { window: 'display', connectionId: 'd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('validates the request against the contract before the handler runs', async () => {
    let ran = false;
    const dispatch = createDispatcher(handlers({ 'cart.preview': () => ((ran = true), { totalFen: 0 }) }), new MemoryLogger());
    const result = await dispatch('cart.preview', { lines: [], amountFen: 12.5 }, cashier);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await dispatch('cart.preview', { lines: [], extra: 1 }, cashier)).toMatchObject({ ok: false });
    expect(ran).toBe(false);
  });

  it('passes a service error through with its code and message', async () => {
    const dispatch = createDispatcher(
      handlers({ 'app.getInfo': () => { throw new ServiceError('CONFLICT', '已有进行中的支付'); } }),
      new MemoryLogger(),
    );
    expect(await dispatch('app.getInfo', {}, cashier)).toEqual({ ok: false, error: { code: 'CONFLICT', message: '已有进行中的支付' } });
  });

  it('carries a service error in both languages, from its own translation or from a "中文 / English" message', async () => {
    const withReason = createDispatcher(
      handlers({ 'app.getInfo': () => { throw new ServiceError('NO_OPEN_SHIFT', '请先开班', { zh: '请先开班', en: 'Open a shift first' }); } }),
      new MemoryLogger(),
    );
    expect(await withReason('app.getInfo', {}, cashier)).toEqual({
      ok: false,
      error: { code: 'NO_OPEN_SHIFT', message: '请先开班', localized: { zh: '请先开班', en: 'Open a shift first' } },
    });
    const oneString = createDispatcher(
      handlers({ 'app.getInfo': () => { throw new ServiceError('NOT_SIGNED_IN', '请先登录收银员 / Sign in first'); } }),
      new MemoryLogger(),
    );
    expect(await oneString('app.getInfo', {}, cashier)).toMatchObject({ error: { localized: { zh: '请先登录收银员', en: 'Sign in first' } } });
  });

  it('says which field of a request is invalid in each language', async () => {
    const dispatch = createDispatcher(handlers(), new MemoryLogger());
    const result = await dispatch('cart.preview', { lines: [], amountFen: 12.5 }, cashier);
    expect(result).toMatchObject({ ok: false, error: { localized: { zh: expect.stringContaining('请求无效：amountFen') as unknown, en: expect.stringContaining('Invalid request: amountFen') as unknown } } });
  });

  it('hides the detail of an unexpected error from the window and logs only its kind', async () => {
    const logger = new MemoryLogger();
    const dispatch = createDispatcher(
      handlers({ 'app.getInfo': () => { throw new TypeError('key=SECRET-VALUE'); } }),
      logger,
    );
    const result = await dispatch('app.getInfo', {}, cashier);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('SECRET-VALUE');
    expect(logger.text()).not.toContain('SECRET-VALUE');
    expect(logger.text()).toContain('TypeError');
  });
});
