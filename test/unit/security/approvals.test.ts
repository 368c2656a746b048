import { describe, expect, it } from 'vitest';
import { requireApproval, requireManagerPin } from '../../../electron/security/approvals';
import { SecurityError } from '../../../electron/security/errors';
import { changeSettingsWithApproval } from '../../../electron/security/settings-change';
import { GATED_ACTIONS, type GatedAction } from '../../../shared/security';
import { makeHarness, waitOutBackoff, withStaff, type Harness } from './fixture';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecurityError) return error.code;
    throw error;
  }
  return 'OK';
}

const other = (action: GatedAction): GatedAction => GATED_ACTIONS.find((a) => a !== action) ?? 'refund';

function staffed(): Harness & ReturnType<typeof withStaff> {
  const h = makeHarness();
  return Object.assign(h, withStaff(h));
}

describe('requireApproval, the gate every manager-gated action goes through', () => {
  for (const action of GATED_ACTIONS) {
    describe(action, () => {
      it('is refused with no approval at all', () => {
        const h = staffed();
        expect(codeOf(() => requireApproval(h.security.approvals, undefined, action))).toBe('APPROVAL_REQUIRED');
        expect(codeOf(() => requireApproval(h.security.approvals, '', action))).toBe('APPROVAL_REQUIRED');
      });

      it('is refused with a made-up token', () => {
        const h = staffed();
        expect(codeOf(() => requireApproval(h.security.approvals, 'x'.repeat(32), action))).toBe('APPROVAL_INVALID');
      });

      it('is refused with an approval for another action', () => {
        const h = staffed();
        const token = h.approve(other(action), '135792');
        expect(codeOf(() => requireApproval(h.security.approvals, token, action))).toBe('APPROVAL_INVALID');
      });

      it('is refused with an expired approval', () => {
        const h = staffed();
        const token = h.approve(action, '135792');
        h.clock.advance(h.settings.approvalTtlSeconds * 1000);
        expect(codeOf(() => requireApproval(h.security.approvals, token, action))).toBe('APPROVAL_INVALID');
      });

      it('is refused when the approval was already used', () => {
        const h = staffed();
        const token = h.approve(action, '135792');
        expect(requireApproval(h.security.approvals, token, action)).toMatchObject({ action, managerId: h.managerId });
        expect(codeOf(() => requireApproval(h.security.approvals, token, action))).toBe('APPROVAL_INVALID');
      });

      it('cannot be approved with a cashier’s PIN', () => {
        const h = staffed();
        expect(codeOf(() => h.security.approvals.approve({ action, pin: '4826' }))).toBe('PIN_WRONG');
        expect(codeOf(() => h.security.approvals.approve({ action, pin: '4826', managerId: h.cashierId }))).toBe('NOT_A_MANAGER');
      });
    });
  }

  it('also takes the manager’s PIN inline (refund.request / drawer.open carry managerPin) through the same checks', () => {
    const h = staffed();
    const requestedBy = { id: h.cashierId, name: '李收银' };
    expect(codeOf(() => requireManagerPin(h.security.approvals, { action: 'no-sale-drawer', pin: '4826', requestedBy }))).toBe('PIN_WRONG');
    const record = requireManagerPin(h.security.approvals, { action: 'refund', pin: '135792', subject: 'sale:5', requestedBy });
    expect(record).toMatchObject({ action: 'refund', managerId: h.managerId, subject: 'sale:5', requestedBy });
    expect(h.security.audit.list(null, 2).map((e) => e.action)).toEqual(['approval.used', 'approval.granted']);
  });

  it('binds an approval to its subject when it names one', () => {
    const h = staffed();
    const token = h.approve('refund', '135792', 'sale:42');
    expect(codeOf(() => requireApproval(h.security.approvals, token, 'refund', { subject: 'sale:43' }))).toBe('APPROVAL_INVALID');
    expect(requireApproval(h.security.approvals, token, 'refund', { subject: 'sale:42' }).subject).toBe('sale:42');
  });

  it('refuses a manager’s approval where the owner’s is required', () => {
    const h = staffed();
    expect(codeOf(() => requireApproval(h.security.approvals, h.approve('user-manage', '135792'), 'user-manage', { least: 'owner' }))).toBe(
      'APPROVAL_ROLE',
    );
    expect(requireApproval(h.security.approvals, h.approve('user-manage', '246813'), 'user-manage', { least: 'owner' }).managerRole).toBe('owner');
  });

  it('audit-logs the grant and the use, naming the manager, without the PIN', () => {
    const h = staffed();
    const token = h.security.approvals.approve({ action: 'refund', pin: '135792', subject: 'sale:7', requestedBy: { id: h.cashierId, name: '李收银' } }).token;
    requireApproval(h.security.approvals, token, 'refund', { subject: 'sale:7' });
    const [used, granted] = h.security.audit.list(null, 2);
    expect(granted).toMatchObject({ action: 'approval.granted', actorId: h.managerId, details: { action: 'refund', subject: 'sale:7', requestedBy: h.cashierId } });
    expect(used).toMatchObject({ action: 'approval.used', actorId: h.managerId, details: { action: 'refund', subject: 'sale:7' } });
    expect(JSON.stringify(h.security.audit.list(null, 50))).not.toContain('135792');
  });

  it('counts wrong PINs for a named manager towards that manager’s lock', () => {
    const h = staffed();
    for (let i = 0; i < 5; i += 1) {
      waitOutBackoff(h);
      codeOf(() => h.security.approvals.approve({ action: 'refund', pin: '000000', managerId: h.managerId }));
    }
    expect(codeOf(() => h.security.approvals.approve({ action: 'refund', pin: '135792', managerId: h.managerId }))).toBe('USER_LOCKED');
  });

  it('spends the terminal’s one PIN budget on wrong PIN-only approvals: five lock PIN entry, a manager’s PIN still approves', () => {
    const h = staffed();
    const codes = Array.from({ length: 5 }, () => {
      waitOutBackoff(h);
      return codeOf(() => h.security.approvals.approve({ action: 'refund', pin: '000000' }));
    });
    expect(codes).toEqual(['PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'SIGN_IN_LOCKED']);
    expect(h.security.pinGuard.view()).toMatchObject({ failures: 5, lockedUntil: h.clock.now() + 15 * 60_000 });
    expect(codeOf(() => h.security.approvals.approve({ action: 'refund', pin: '135792' }))).toBe('PIN_WAIT');
    waitOutBackoff(h);
    expect(codeOf(() => h.security.approvals.approve({ action: 'refund', pin: '135792' }))).toBe('OK');
  });
});

describe('services that are manager-gated refuse without an approval', () => {
  const actor = { id: 'u-someone', name: '某人' };
  const cases: [string, (h: Harness & ReturnType<typeof withStaff>, token: string | undefined) => unknown][] = [
    ['creating a user', (h, t) => h.security.people.createUser({ name: '新人', role: 'cashier', pin: '5937' }, t, actor)],
    ['resetting a PIN', (h, t) => h.security.people.resetPin(h.cashierId, '5937', t, actor)],
    ['switching a user off', (h, t) => h.security.people.setActive(h.cashierId, false, t, actor)],
    ['unlocking a user', (h, t) => h.security.people.unlock(h.cashierId, t, actor)],
    ['replacing a secret', (h, t) => h.security.secrets.replace({ field: 'merchantCertSerial', value: 'ABCDEF0123456789' }, t, actor)],
    ['clearing a secret', (h, t) => h.security.secrets.clear('apiKeyV2', t, actor)],
    ['overriding a limit', (h, t) => h.security.risk.enforce(h.security.risk.checkSale(10_000_000), t, actor)],
    ['acknowledging an alert', (h, t) => h.security.risk.acknowledge(1, t, actor)],
    [
      'changing settings',
      (h, t) => changeSettingsWithApproval({ settings: memorySettings(), approvals: h.security.approvals, audit: h.security.audit }, (s) => ({ ...s, storeName: 'x' }), t, actor),
    ],
  ];
  for (const [name, run] of cases) {
    it(`${name}: refused without approval, and with a cashier-level or wrong-action approval`, () => {
      const h = staffed();
      expect(() => run(h, undefined)).toThrow(SecurityError);
      const wrongAction = h.approve('no-sale-drawer', '135792');
      expect(() => run(h, wrongAction)).toThrow(/授权|approval/);
    });
  }

  it('a manager cannot add a manager: that takes the owner', () => {
    const h = staffed();
    const token = h.approve('user-manage', '135792');
    expect(codeOf(() => h.security.people.createUser({ name: '赵店长', role: 'manager', pin: '592716' }, token, actor))).toBe('APPROVAL_ROLE');
  });

  it('settings changes go through with an approval and are audit-logged path by path', () => {
    const h = staffed();
    const settings = memorySettings();
    changeSettingsWithApproval({ settings, approvals: h.security.approvals, audit: h.security.audit }, (s) => ({ ...s, storeName: '街角便利店', printer: { uri: 'tcp://127.0.0.1:9100' } }), h.approve('settings-change'), actor);
    expect(settings.get().storeName).toBe('街角便利店');
    expect(h.security.audit.list(null, 1)[0]).toMatchObject({
      action: 'settings.changed',
      details: {
        changes: [
          { path: 'printer.uri', from: '', to: 'tcp://127.0.0.1:9100' },
          { path: 'storeName', from: '演示商店', to: '街角便利店' },
        ],
      },
    });
  });
});

function memorySettings(): { get(): { storeName: string; printer: { uri: string } }; update(change: (s: { storeName: string; printer: { uri: string } }) => { storeName: string; printer: { uri: string } }): { storeName: string; printer: { uri: string } } } {
  let current = { storeName: '演示商店', printer: { uri: '' } };
  return {
    get: () => current,
    update: (change) => {
      current = change(structuredClone(current));
      return current;
    },
  };
}
