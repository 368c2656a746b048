/** What the basket crash test's counter child (basket-child.ts) writes down, and how baskets are named and priced. */
import { existsSync, readFileSync } from 'node:fs';

export type JournalEntry =
  | { t: 'shown-paid'; sale: number }
  | { t: 'done'; basket: number }
  /** At a start, the counter came back with this sale and a WeChat tender still in progress. */
  | { t: 'restored'; sale: number }
  /** The cashier first saw this QR attempt waiting for a scan at `at` (wall clock), and will wait `patienceMs`. */
  | { t: 'qr-seen'; attempt: number; at: number; patienceMs: number }
  | { t: 'resolved'; alert: number; sale: number; action: 'kept' | 'refunded' };

export const basketAmountFen = (basket: number): number => 100 + ((basket * 7919) % 20_000);
export const basketOfLine = (name: string): number | null => (/^B(\d+)$/.test(name) ? Number(name.slice(1)) : null);

export function readJournal(file: string): JournalEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalEntry];
      } catch {
        return []; // a line cut by a SIGKILL
      }
    });
}

