import { beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../electron/host/dispatch';
import { createSecurityHandlers } from '../../../electron/security/handlers';
import { securityRequests } from '../../../shared/security';
import { describeHits, scanForSecretShapes, scanText, type KnownSecret } from '../../helpers/leak-scan';
import { makeHarness, makeTestCredentials, type TestCredentials } from './fixture';

let creds: TestCredentials;
beforeAll(() => {
  creds = makeTestCredentials();
});

const managerWindow: CallContext = { window: 'manager', connectionId: 'ws-7' };
const cashierWindow: CallContext = { window: 'cashier', connectionId: 'ws-8' };

describe('the security handlers', () => {
  it('never put a secret, a PIN hash or a private key into any result', async () => {
    const h = makeHarness();
    const api = createSecurityHandlers(h.security);
    const results: unknown[] = [];
    const call = async <T>(value: T | Promise<T>): Promise<T> => {
      const resolved = await value;
      results.push(resolved);
      return resolved;
    };
    const owner = await call(api['setup.createOwner'](securityRequests.createOwner.parse({ name: '老板', pin: '246813', setupCode: h.security.setupCode.current() }), managerWindow));
    await call(api['auth.signIn']({ userId: owner.id, pin: '246813' }, managerWindow));
    const approve = async (action: 'settings-change' | 'user-manage'): Promise<string> =>
      (await call(api['approval.request'](securityRequests.approve.parse({ action, pin: '246813' }), managerWindow))).token;
    const cashier = await call(api['users.create']({ name: '李收银', role: 'cashier', pin: '4826', approvalToken: await approve('user-manage') }, managerWindow));
    await call(api['auth.signIn']({ userId: cashier.id, pin: '4826' }, cashierWindow));
    for (const [field, value] of [
      ['apiKeyV2', creds.apiKeyV2],
      ['apiV3Key', creds.apiV3Key],
      ['merchantPrivateKeyPem', creds.privateKeyPem],
      ['wechatPayPublicKeyPem', creds.wechatPayPublicKeyPem],
    ] as const) {
      await call(api['secrets.replace'](securityRequests.replaceSecret.parse({ field, value, approvalToken: await approve('settings-change') }), managerWindow));
    }
    await call(
      api['secrets.replace'](
        securityRequests.replaceSecret.parse({ field: 'clientPkcs12', pkcs12Base64: creds.p12Base64, password: creds.p12Password, approvalToken: await approve('settings-change') }),
        managerWindow,
      ),
    );
    await call(api['secrets.describe']({}, managerWindow));
    await call(api['auth.listUsers']({}, cashierWindow));
    await call(api['auth.current']({}, cashierWindow));
    await call(api['setup.getState']({}, cashierWindow));
    await call(api['audit.list'](securityRequests.listAudit.parse({}), managerWindow));
    await call(api['audit.verify']({}, managerWindow));
    await call(api['risk.listAlerts']({ openOnly: false }, managerWindow));
    await call(api['backup.list']({}, managerWindow));

    const secrets: KnownSecret[] = [
      { name: 'apiKeyV2', value: creds.apiKeyV2 },
      { name: 'apiV3Key', value: creds.apiV3Key },
      { name: 'merchantPrivateKeyPem', value: creds.privateKeyPem },
      { name: 'p12', value: creds.p12Base64 },
    ];
    const text = JSON.stringify(results);
    const hits = [...scanText(text, 'handler results', secrets), ...scanForSecretShapes(text, 'handler results')];
    expect(hits, describeHits(hits)).toEqual([]);
    expect(text).not.toMatch(/scrypt\$|pin_hash|246813|4826/);
  });

  it('refuse the manager’s views to a cashier and to a window where nobody signed in', () => {
    const h = makeHarness();
    const api = createSecurityHandlers(h.security);
    const owner = h.security.people.createOwner('老板', '246813');
    const token = h.security.approvals.approve({ action: 'user-manage', pin: '246813' }).token;
    const cashier = h.security.people.createUser({ name: '李收银', role: 'cashier', pin: '4826' }, token, owner);
    h.security.auth.signIn(cashierWindow.connectionId, cashier.id, '4826');
    for (const context of [cashierWindow, managerWindow]) {
      expect(() => api['secrets.describe']({}, context)).toThrow(/登录/);
      expect(() => api['audit.list']({ limit: 10 }, context)).toThrow(/登录/);
    }
  });
});
