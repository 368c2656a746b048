import { fen } from '../../shared/money';
import type { QuickItem } from './cart';

/**
 * A fixed demo list until the main side serves the store's item list (a manager edits it there; the contract
 * needs `items.list`). Kept in code rather than in localStorage: prices must not live in one browser profile.
 * The hotkeys A–H pick these in order.
 */
export const DEMO_QUICK_ITEMS: readonly QuickItem[] = [
  { id: 'demo-water', name: '矿泉水', unitFen: fen(200), barcode: '6901234560011' },
  { id: 'demo-cola', name: '可乐', unitFen: fen(350), barcode: '6901234560028' },
  { id: 'demo-coffee', name: '美式咖啡', unitFen: fen(1200), barcode: '6901234560035' },
  { id: 'demo-latte', name: '拿铁', unitFen: fen(1500), barcode: '6901234560042' },
  { id: 'demo-bun', name: '肉包', unitFen: fen(250), barcode: '6901234560059' },
  { id: 'demo-noodles', name: '牛肉面', unitFen: fen(1800), barcode: '6901234560066' },
  { id: 'demo-bread', name: '全麦面包', unitFen: fen(890), barcode: '6901234560073' },
  { id: 'demo-bag', name: '购物袋', unitFen: fen(30), barcode: '6901234560080' },
];

/** The letter key that adds the item at `index` (A for the first). */
export function quickItemKey(index: number): string {
  return String.fromCharCode('A'.charCodeAt(0) + index);
}
