import { describe, expect, it } from 'vitest';
import { DEMO_ITEMS, ITEM_AUDIT_ACTIONS, ItemService } from '../../../electron/items/item-service';
import type { ItemFields, ItemView } from '../../../shared/items';
import type { ServiceError } from '../../../shared/result';
import { FakeWechat } from '../../helpers/fake-wechat-client';
import { createHarness } from '../../helpers/payments-harness';
import { makeHarness, withStaff } from '../security/fixture';

const cola: ItemFields = { name: '可乐', barcode: '6901234560028', priceFen: 350, quick: true, position: 20, active: true };

function setup() {
  const h = makeHarness();
  const staff = withStaff(h);
  const pushed: ItemView[][] = [];
  const items = new ItemService({ db: h.db, clock: h.clock, audit: h.security.audit, approvals: h.security.approvals, onChanged: (list) => pushed.push(list) });
  const manager = { id: staff.managerId, name: '王店长' };
  const approve = (): string => staff.approve('items-change', '135792');
  return { h, items, manager, approve, pushed };
}

function refusalOf(action: () => unknown): ServiceError {
  try {
    action();
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected a refusal');
}

const itemAudit = (h: ReturnType<typeof makeHarness>) => h.security.audit.list(null, 100).filter((e) => e.action.startsWith('item.'));

describe('the item service', () => {
  it('adds an item with a manager approval, pushes the full list and audit-logs it with before and after', () => {
    const { h, items, manager, approve, pushed } = setup();
    const saved = items.save({ item: cola, approvalToken: approve(), actor: manager });
    expect(saved).toMatchObject({ ...cola, id: expect.any(Number) as number });
    expect(items.list()).toEqual([saved]);
    expect(pushed).toEqual([[saved]]);
    const [entry] = itemAudit(h);
    expect(entry).toMatchObject({ action: ITEM_AUDIT_ACTIONS.created, actorId: manager.id });
    expect(entry?.details).toMatchObject({ itemId: saved.id, before: null, after: { name: '可乐', priceFen: 350, barcode: '6901234560028' } });
    expect(h.security.audit.verify().ok).toBe(true);
  });

  it('refuses a change without an approval, or with one for another action, and changes nothing', () => {
    const { h, items, manager, approve } = setup();
    expect(refusalOf(() => items.save({ item: cola, approvalToken: undefined, actor: manager })).code).toBe('APPROVAL_REQUIRED');
    const wrong = withStaffToken(h, 'settings-change');
    expect(refusalOf(() => items.save({ item: cola, approvalToken: wrong, actor: manager })).code).toBe('APPROVAL_INVALID');
    const token = approve();
    items.save({ item: cola, approvalToken: token, actor: manager });
    // Single use: the same token does not approve a second change.
    expect(refusalOf(() => items.save({ item: { ...cola, barcode: null }, approvalToken: token, actor: manager })).code).toBe('APPROVAL_INVALID');
    expect(items.list()).toHaveLength(1);
  });

  it('refuses a duplicate barcode in both languages before using the approval, even when the holder is inactive', () => {
    const { items, manager, approve } = setup();
    const first = items.save({ item: cola, approvalToken: approve(), actor: manager });
    items.save({ id: first.id, item: { ...cola, active: false }, approvalToken: approve(), actor: manager });
    const token = approve();
    const refused = refusalOf(() => items.save({ item: { ...cola, name: '百事可乐' }, approvalToken: token, actor: manager }));
    expect(refused.code).toBe('DUPLICATE_BARCODE');
    expect(refused.localized).toEqual({
      zh: '条码 6901234560028 已用于商品「可乐」（已停用）',
      en: 'Barcode 6901234560028 already belongs to “可乐” (inactive)',
    });
    // The token was not spent on the refused change.
    const other = items.save({ item: { ...cola, name: '百事可乐', barcode: '6901234569999' }, approvalToken: token, actor: manager });
    expect(other.barcode).toBe('6901234569999');
    // An item keeps its own barcode when it is edited.
    expect(items.save({ id: other.id, item: { ...cola, name: '百事', barcode: '6901234569999' }, approvalToken: approve(), actor: manager }).name).toBe('百事');
  });

  it('refuses invalid fields with the field named, and a barcode the scanner would take for a payment code', () => {
    const { items, manager, approve } = setup();
    const empty = refusalOf(() => items.save({ item: { ...cola, name: ' ' }, approvalToken: approve(), actor: manager }));
    expect(empty.localized).toEqual({ zh: '名称：请输入商品名称', en: 'Name: Enter a name' });
    expect(refusalOf(() => items.save({ item: { ...cola, priceFen: 1.5 }, approvalToken: approve(), actor: manager })).localized?.zh).toMatch(/^价格：/);
    const payCode = refusalOf(() => items.save({ item: { ...cola, barcode: '134567890123456789' }, approvalToken: approve(), actor: manager }));
    expect(payCode.code).toBe('BAD_BARCODE');
    expect(refusalOf(() => items.save({ id: 999, item: cola, approvalToken: approve(), actor: manager })).code).toBe('NOT_FOUND');
  });

  it('deactivates instead of deleting: the item leaves the cashier list, old sales keep their lines, the audit keeps both states', async () => {
    const { h, items, manager, approve } = setup();
    const saved = items.save({ item: cola, approvalToken: approve(), actor: manager });
    const payments = createHarness(new FakeWechat(h.clock).client(), { db: h.db, clock: h.clock });
    const sale = payments.service.createSale({ cashierId: 'c1', lines: [{ name: saved.name, unitFen: saved.priceFen, quantity: 2 }] });
    payments.service.payCash(sale.id, 1000);

    h.clock.advance(60_000);
    items.save({ id: saved.id, item: { ...cola, priceFen: 400, active: false }, approvalToken: approve(), actor: manager });
    expect(items.list()).toEqual([]);
    expect(items.list({ includeInactive: true })).toEqual([expect.objectContaining({ id: saved.id, active: false, priceFen: 400 })]);
    expect(items.findByBarcode('6901234560028')).toMatchObject({ id: saved.id, active: false });

    const after = payments.service.getSale(sale.id);
    expect(after.state).toBe('paid');
    expect(after.totalFen).toBe(700);
    expect(after.lines).toEqual([expect.objectContaining({ name: '可乐', unitFen: 350, quantity: 2 })]);

    const changed = itemAudit(h).find((e) => e.action === ITEM_AUDIT_ACTIONS.changed);
    expect(changed?.details).toMatchObject({ before: { priceFen: 350, active: true }, after: { priceFen: 400, active: false } });
    await payments.service.stop();
  });

  it('seeds the demo items once, and never again once the list has any', () => {
    const { h, items } = setup();
    expect(items.seedDemoItems()).toBe(true);
    expect(items.list().map((i) => [i.name, i.priceFen, i.barcode])).toEqual(DEMO_ITEMS.map((i) => [i.name, i.priceFen, i.barcode]));
    expect(items.seedDemoItems()).toBe(false);
    expect(items.list()).toHaveLength(DEMO_ITEMS.length);
    expect(itemAudit(h).map((e) => e.action)).toEqual([ITEM_AUDIT_ACTIONS.demoSeeded]);
  });
});

function withStaffToken(h: ReturnType<typeof makeHarness>, action: 'settings-change'): string {
  return h.security.approvals.approve({ action, pin: '135792' }).token;
}
