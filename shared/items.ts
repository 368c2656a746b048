/**
 * The store's item list (商品): what the cashier picks as a quick item or adds by scanning its barcode. Kept on the
 * main side (SQLite) so every window and every restart sees the same prices; a manager edits it.
 */
import { z } from 'zod';
import type { ClassifiedScan } from './scan';

/** How many quick keys the cashier screen has (A–L); each holds one item until a manager moves it. */
export const MAX_QUICK_ITEMS = 12;

/** The letter of a quick key (A for 0), as printed on the cashier's button and in the manager's list. */
export function quickKeyLetter(key: number): string {
  return String.fromCharCode('A'.charCodeAt(0) + key);
}

export interface ItemView {
  id: number;
  name: string;
  /** EAN-13/EAN-8/UPC or the store's own code; null for items sold only from the quick list. */
  barcode: string | null;
  priceFen: number;
  /** Shown as a quick-item button on the cashier screen. */
  quick: boolean;
  /** Order in the manager's list after the quick keys (no longer picks the key: see quickKey). */
  position: number;
  /**
   * The quick key the item holds: 0 = A … 11 = L, null when it holds none. A key stays with its item until a
   * manager moves it (or takes the item off sale or off the quick list); a new quick item takes the first free key.
   */
  quickKey: number | null;
  /** Inactive items are kept (old sales name them) but cannot be sold. */
  active: boolean;
  updatedAt: number;
}

/** A product barcode: printable ASCII without spaces, as scanners send it. */
export const BARCODE_PATTERN = /^[0-9A-Za-z\-.]{3,32}$/;

export const itemFieldsSchema = z
  .object({
    name: z.string().trim().min(1, '请输入商品名称 / Enter a name').max(64),
    barcode: z.string().trim().regex(BARCODE_PATTERN, '条码为 3–32 位字母或数字 / Barcode is 3–32 letters or digits').nullable(),
    priceFen: z.number().int().safe().min(0).max(100_000_000),
    quick: z.boolean(),
    position: z.number().int().min(0).max(10_000),
    active: z.boolean(),
    /** Moves the item to this key (swapping with the item there); absent or null: keep its key, or take a free one. */
    quickKey: z.number().int().min(0).max(MAX_QUICK_ITEMS - 1).nullable().optional(),
  })
  .strict();
export type ItemFields = z.infer<typeof itemFieldsSchema>;

/**
 * What the cashier window hears after any scanner read something: for the beep, and for a product barcode, the
 * item to add to the cart (null when the barcode is not in the item list). Never carries a payment code.
 */
export interface ScanFeedback {
  source: 'serial' | 'wedge';
  kind: ClassifiedScan['kind'];
  /** Product barcodes only. */
  barcode: string | null;
  item: ItemView | null;
  at: number;
}
