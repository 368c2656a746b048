import { describe, expect, it } from 'vitest';
import { ItemService } from '../../../electron/items/item-service';
import { quickKeyLetter, type ItemFields, type ItemView } from '../../../shared/items';
import { makeHarness, withStaff } from '../security/fixture';

function setup() {
  const h = makeHarness();
  const staff = withStaff(h);
  const items = new ItemService({ db: h.db, clock: h.clock, audit: h.security.audit, approvals: h.security.approvals });
  const manager = { id: staff.managerId, name: '王店长' };
  const save = (item: ItemFields, id?: number): ItemView => items.save({ id, item, approvalToken: staff.approve('items-change', '135792'), actor: manager });
  /** The counter's keys as letters: "A矿泉水 B可乐 …". */
  const layout = (): string =>
    items
      .list()
      .filter((item) => item.quickKey !== null)
      .map((item) => `${quickKeyLetter(item.quickKey ?? 0)}${item.name}`)
      .join(' ');
  return { h, items, save, layout };
}

const item = (name: string, position: number, extra: Partial<ItemFields> = {}): ItemFields => ({ name, barcode: null, priceFen: 100, quick: true, position, active: true, ...extra });

describe('quick keys that stay put', () => {
  it('gives a new item the first free key and moves no other key, whatever its position', () => {
    const { save, layout } = setup();
    save(item('矿泉水', 10));
    save(item('可乐', 20));
    save(item('拿铁', 30));
    expect(layout()).toBe('A矿泉水 B可乐 C拿铁');
    // Position 0 sorted first before: it re-lettered every key (可乐 B→C). Now it takes D.
    save(item('酸奶', 0));
    expect(layout()).toBe('A矿泉水 B可乐 C拿铁 D酸奶');
  });

  it('frees the key of an item taken off sale or off the quick list, and the next new item fills that gap', () => {
    const { save, layout } = setup();
    save(item('矿泉水', 10));
    const cola = save(item('可乐', 20));
    save(item('拿铁', 30));
    save(item('可乐', 20, { active: false }), cola.id);
    expect(layout()).toBe('A矿泉水 C拿铁');
    save(item('酸奶', 40));
    expect(layout()).toBe('A矿泉水 B酸奶 C拿铁');
    // Back on sale: the first free key, not its old one (B is 酸奶's now).
    save(item('可乐', 20), cola.id);
    expect(layout()).toBe('A矿泉水 B酸奶 C拿铁 D可乐');
  });

  it('keeps an item on its key through a price or name change', () => {
    const { save, layout } = setup();
    save(item('矿泉水', 10));
    const cola = save(item('可乐', 20));
    save(item('可口可乐', 0, { priceFen: 400 }), cola.id);
    expect(layout()).toBe('A矿泉水 B可口可乐');
  });

  it('swaps two items when a manager moves one onto a held key, and audit-logs the displaced item', () => {
    const { h, save, layout } = setup();
    const water = save(item('矿泉水', 10));
    save(item('可乐', 20));
    const latte = save(item('拿铁', 30));
    save(item('拿铁', 30, { quickKey: 0 }), latte.id);
    expect(layout()).toBe('A拿铁 B可乐 C矿泉水');
    const entry = h.security.audit.list(null, 100).find((e) => e.action === 'item.changed');
    expect(entry?.details).toMatchObject({ displaced: { itemId: water.id, fromKey: 0, toKey: 2 } });
    // A move to a free key leaves the old one empty.
    save(item('可乐', 20, { quickKey: 5 }), water.id + 1);
    expect(layout()).toBe('A拿铁 C矿泉水 F可乐');
  });

  it('keeps a thirteenth quick item off the keys until one is free', () => {
    const { save, layout, items } = setup();
    const saved = Array.from({ length: 13 }, (_, i) => save(item(`商品${i + 1}`, i)));
    expect(saved[12]?.quickKey).toBeNull();
    expect(layout().split(' ')).toHaveLength(12);
    save(item('商品1', 0, { quick: false }), saved[0]?.id);
    // Nothing moves by itself: 商品13 waits for a manager, as the list shows it has no key.
    expect(items.get(saved[12]?.id ?? 0).quickKey).toBeNull();
  });
});
