/**
 * The store's item list (商品): quick items on the cashier screen and products sold by barcode. A manager adds and
 * changes items with an approval ('items-change'); every change is audit-logged with what it was before and after.
 * Items are never deleted — old sales name them and a barcode must keep meaning the same thing — only deactivated.
 */
import type { Clock } from '../../shared/clock';
import type { Localized } from '../../shared/i18n';
import { itemFieldsSchema, MAX_QUICK_ITEMS, type ItemFields, type ItemView } from '../../shared/items';
import { ServiceError } from '../../shared/result';
import { classifyScan } from '../../shared/scan';
import type { Database } from '../db/open';
import { hubManagedBy } from '../db/hub-reference';
import { countItems, getItem, getItemByBarcode, getItemByQuickKey, heldQuickKeys, insertItem, listItems, setQuickKey, updateItem, type ItemRow } from '../db/items';
import { requireApproval, type ApprovalGate } from '../security/approvals';
import { SYSTEM_ACTOR, type Actor, type AuditLog } from '../security/audit-log';

export const ITEM_AUDIT_ACTIONS = {
  created: 'item.created',
  changed: 'item.changed',
  demoSeeded: 'item.demo-seeded',
} as const;

/** The sandbox's demo list (what the cashier screen showed before the list lived in the database). */
export const DEMO_ITEMS: readonly ItemFields[] = [
  { name: '矿泉水', barcode: '6901234560011', priceFen: 200 },
  { name: '可乐', barcode: '6901234560028', priceFen: 350 },
  { name: '美式咖啡', barcode: '6901234560035', priceFen: 1200 },
  { name: '拿铁', barcode: '6901234560042', priceFen: 1500 },
  { name: '肉包', barcode: '6901234560059', priceFen: 250 },
  { name: '牛肉面', barcode: '6901234560066', priceFen: 1800 },
  { name: '全麦面包', barcode: '6901234560073', priceFen: 890 },
  { name: '购物袋', barcode: '6901234560080', priceFen: 30 },
].map((item, index) => ({ ...item, quick: true, position: (index + 1) * 10, active: true, quickKey: index }));

export interface ItemServiceDeps {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  approvals: ApprovalGate;
  /** After every change: the full list (active and inactive), for the windows. */
  onChanged?: (items: ItemView[]) => void;
}

export interface SaveItemInput {
  /** Absent to add a new item. */
  id?: number | undefined;
  item: ItemFields;
  approvalToken: string | undefined;
  actor: Actor;
}

const FIELD_LABELS: Record<string, Localized> = {
  name: { zh: '名称', en: 'Name' },
  barcode: { zh: '条码', en: 'Barcode' },
  priceFen: { zh: '价格', en: 'Price' },
  quick: { zh: '快捷商品', en: 'Quick item' },
  position: { zh: '排序', en: 'Position' },
  quickKey: { zh: '快捷键', en: 'Quick key' },
  active: { zh: '在售', en: 'Active' },
};

function refusal(code: string, text: Localized): ServiceError {
  return new ServiceError(code, `${text.zh} / ${text.en}`, text);
}

export function itemView(row: ItemRow): ItemView {
  return {
    id: row.id,
    name: row.name,
    barcode: row.barcode,
    priceFen: row.price_fen,
    quick: row.quick === 1,
    position: row.position,
    active: row.active === 1,
    quickKey: row.quick_key,
    updatedAt: row.updated_at,
  };
}

/** What the audit log keeps of an item: its fields, nothing else. */
function auditFields(view: ItemView): Record<string, unknown> {
  return { name: view.name, barcode: view.barcode, priceFen: view.priceFen, quick: view.quick, position: view.position, active: view.active, quickKey: view.quickKey };
}

export class ItemService {
  constructor(private readonly deps: ItemServiceDeps) {}

  list(options: { includeInactive?: boolean | undefined } = {}): ItemView[] {
    return listItems(this.deps.db, { includeInactive: options.includeInactive === true }).map(itemView);
  }

  get(id: number): ItemView {
    const row = getItem(this.deps.db, id);
    if (!row) throw refusal('NOT_FOUND', { zh: `没有编号为 ${id} 的商品`, en: `There is no item ${id}` });
    return itemView(row);
  }

  /** The item a scanned barcode names, active or not (the caller decides what an inactive one means), or null. */
  findByBarcode(barcode: string): ItemView | null {
    const row = getItemByBarcode(this.deps.db, barcode.trim());
    return row ? itemView(row) : null;
  }

  /**
   * Adds or changes an item. Everything the manager could correct (a bad field, a barcode in use, an unknown id)
   * is checked before the approval is used, so a typo costs a correction rather than another PIN.
   */
  save(input: SaveItemInput): ItemView {
    const { db, clock, audit, approvals } = this.deps;
    // An enrolled counter's items are the hub's (electron/hub-link/reference.ts): refused before any approval is used.
    const hubUrl = hubManagedBy(db);
    if (hubUrl !== null) {
      throw refusal('HUB_MANAGED', { zh: `商品和价格由总部管理，请在总部修改（${hubUrl}）`, en: `Items and prices are managed at the hub: change them there (${hubUrl})` });
    }
    const fields = this.validate(input.item);
    const before = input.id === undefined ? null : this.get(input.id);
    this.refuseTakenBarcode(fields.barcode, input.id);
    const saved = db.transaction(() => {
      const approval = requireApproval(approvals, input.approvalToken, 'items-change');
      const now = clock.now();
      const { quickKey, displaced } = this.placeOnKey(input.id, fields, before, now);
      let id = input.id;
      if (id === undefined) id = insertItem(db, { ...fields, quickKey }, now);
      else updateItem(db, id, { ...fields, quickKey }, now);
      if (displaced) setQuickKey(db, displaced.id, displaced.to, now);
      const after = this.get(id);
      audit.append(input.actor, before ? ITEM_AUDIT_ACTIONS.changed : ITEM_AUDIT_ACTIONS.created, {
        itemId: id,
        before: before ? auditFields(before) : null,
        after: auditFields(after),
        ...(displaced ? { displaced: { itemId: displaced.id, fromKey: quickKey, toKey: displaced.to } } : {}),
        approvedBy: approval.managerId,
      });
      return after;
    })();
    this.deps.onChanged?.(this.list({ includeInactive: true }));
    return saved;
  }

  /** A new sandbox install gets the demo items, once: an empty table means none were ever added (none are deleted). */
  seedDemoItems(): boolean {
    const { db, clock, audit } = this.deps;
    if (countItems(db) > 0 || hubManagedBy(db) !== null) return false;
    db.transaction(() => {
      const now = clock.now();
      for (const item of DEMO_ITEMS) insertItem(db, item, now);
      audit.append(SYSTEM_ACTOR, ITEM_AUDIT_ACTIONS.demoSeeded, { count: DEMO_ITEMS.length });
    })();
    return true;
  }

  /**
   * Which quick key the saved item holds. Keys stay put: an item keeps its key through any other change; a new (or
   * newly quick) item takes the first free key, none when all twelve are held; an item off sale or off the quick
   * list frees its key (it stays empty on the counter until a manager fills it). A manager moving an item onto a
   * held key swaps the two (the other item takes the mover's old key, or the first free one). The mover's old key is
   * released first (here, before the rows are written) so the unique index never sees two holders.
   */
  private placeOnKey(
    id: number | undefined,
    fields: ItemFields,
    before: ItemView | null,
    now: number,
  ): { quickKey: number | null; displaced: { id: number; to: number | null } | null } {
    const { db } = this.deps;
    if (!fields.quick || !fields.active) return { quickKey: null, displaced: null };
    const current = before?.quickKey ?? null;
    const requested = fields.quickKey ?? null;
    if (requested === null || requested === current) {
      return { quickKey: current ?? firstFreeKey(heldQuickKeys(db)), displaced: null };
    }
    const holder = getItemByQuickKey(db, requested);
    if (!holder || holder.id === id) return { quickKey: requested, displaced: null };
    if (id !== undefined && current !== null) setQuickKey(db, id, null, now);
    const held = heldQuickKeys(db);
    held.add(requested);
    const to = current ?? firstFreeKey(held);
    setQuickKey(db, holder.id, null, now);
    return { quickKey: requested, displaced: { id: holder.id, to } };
  }

  private validate(item: ItemFields): ItemFields {
    const parsed = itemFieldsSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = FIELD_LABELS[String(issue?.path[0] ?? '')] ?? { zh: '商品', en: 'Item' };
      // The schema's own messages are '中文 / English'; zod's defaults are English only.
      const [zh, en] = issue?.message.includes(' / ') ? issue.message.split(' / ') : ['无效', issue?.message ?? 'invalid'];
      throw refusal('BAD_REQUEST', { zh: `${field.zh}：${zh ?? '无效'}`, en: `${field.en}: ${en ?? 'invalid'}` });
    }
    const fields = parsed.data;
    // A barcode the scanner router reads as a payment code or a receipt would never reach the item list.
    if (fields.barcode !== null && classifyScan(fields.barcode).kind !== 'product') {
      throw refusal('BAD_BARCODE', {
        zh: `条码 ${fields.barcode} 会被识别为付款码或小票，不能用作商品条码`,
        en: `Barcode ${fields.barcode} reads as a payment code or a receipt, not a product`,
      });
    }
    return fields;
  }

  private refuseTakenBarcode(barcode: string | null, id: number | undefined): void {
    if (barcode === null) return;
    const holder = getItemByBarcode(this.deps.db, barcode);
    if (!holder || holder.id === id) return;
    const inactive = holder.active === 1 ? { zh: '', en: '' } : { zh: '（已停用）', en: ' (inactive)' };
    throw refusal('DUPLICATE_BARCODE', {
      zh: `条码 ${barcode} 已用于商品「${holder.name}」${inactive.zh}`,
      en: `Barcode ${barcode} already belongs to “${holder.name}”${inactive.en}`,
    });
  }
}

/** The lowest key nobody holds, or null when all are held. */
function firstFreeKey(held: ReadonlySet<number>): number | null {
  for (let key = 0; key < MAX_QUICK_ITEMS; key += 1) if (!held.has(key)) return key;
  return null;
}
