import { describe, expect, it } from 'vitest';
import { EMPTY_ITEM_FORM, filterItems, formFromItem, itemFromForm } from '../../../renderer/manager/item-form';
import type { ItemView } from '../../../shared/items';

const view = (extra: Partial<ItemView> = {}): ItemView => ({
  id: 1,
  name: '拿铁',
  barcode: '6901234560042',
  priceFen: 1500,
  quick: true,
  position: 40,
  active: true,
  quickKey: 3,
  updatedAt: 0,
  ...extra,
});

describe('the item editor form', () => {
  it('turns yuan into exact fen, an empty barcode into none, and trims the name', () => {
    expect(itemFromForm({ ...EMPTY_ITEM_FORM, name: ' 拿铁 ', priceYuan: '12.5', position: '' })).toEqual({
      item: { name: '拿铁', barcode: null, priceFen: 1250, quick: true, position: 0, active: true, quickKey: null },
    });
    // 0.29 and 1.15 are the usual floating-point traps (0.29 * 100 = 28.999...).
    expect(itemFromForm({ ...EMPTY_ITEM_FORM, name: 'x', priceYuan: '0.29' })).toMatchObject({ item: { priceFen: 29 } });
    expect(itemFromForm({ ...EMPTY_ITEM_FORM, name: 'x', priceYuan: '1.15' })).toMatchObject({ item: { priceFen: 115 } });
  });

  it('names the first problem before any PIN is spent', () => {
    expect(itemFromForm({ ...EMPTY_ITEM_FORM, priceYuan: '1' })).toEqual({ field: 'name', problem: 'items.badName' });
    expect(itemFromForm({ ...EMPTY_ITEM_FORM, name: 'x', priceYuan: '1.234' })).toEqual({ field: 'priceYuan', problem: 'items.badPrice' });
    expect(itemFromForm({ ...EMPTY_ITEM_FORM, name: 'x', priceYuan: '-1' })).toEqual({ field: 'priceYuan', problem: 'items.badPrice' });
    expect(itemFromForm({ ...EMPTY_ITEM_FORM, name: 'x', priceYuan: '1', barcode: '12 34' })).toEqual({ field: 'barcode', problem: 'items.badBarcode' });
    expect(itemFromForm({ ...EMPTY_ITEM_FORM, name: 'x', priceYuan: '1', position: '10001' })).toEqual({ field: 'position', problem: 'items.badPosition' });
  });

  it('round-trips an item through the form unchanged', () => {
    const item = view();
    expect(formFromItem(item)).toMatchObject({ priceYuan: '15.00', barcode: '6901234560042', position: '40' });
    const { id: _id, updatedAt: _at, ...fields } = item;
    expect(itemFromForm(formFromItem(item))).toEqual({ item: fields });
  });

  it('searches by name or barcode and hides items off sale unless asked', () => {
    const list = [view(), view({ id: 2, name: 'Cola', barcode: null }), view({ id: 3, name: '旧拿铁', barcode: '999', active: false })];
    expect(filterItems(list, '拿铁', false).map((i) => i.id)).toEqual([1]);
    expect(filterItems(list, '拿铁', true).map((i) => i.id)).toEqual([1, 3]);
    expect(filterItems(list, 'cola', false).map((i) => i.id)).toEqual([2]);
    expect(filterItems(list, '0042', false).map((i) => i.id)).toEqual([1]);
    expect(filterItems(list, '  ', false)).toHaveLength(2);
  });
});
