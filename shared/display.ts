import type { Localized } from './i18n';

/**
 * What the customer-facing display shows. The display window only receives this state; it never calls the
 * main side, so nothing a customer can touch reaches the app.
 */
export type CustomerDisplayState =
  | { kind: 'idle'; storeName: string; sandbox: boolean; wechatAvailable: boolean }
  | {
      kind: 'cart';
      storeName: string;
      sandbox: boolean;
      lines: { name: string; quantity: number; amountFen: number }[];
      totalFen: number;
      wechatAvailable: boolean;
      /** Paid so far on a split tender: the customer sees what is left (totalFen - paidFen) as the amount due. */
      paidFen?: number;
    }
  | { kind: 'qr'; sandbox: boolean; amountFen: number; codeUrl: string; expiresAt: number }
  | { kind: 'paying'; sandbox: boolean; amountFen: number; message: Localized }
  | { kind: 'paid'; sandbox: boolean; amountFen: number; changeFen?: number }
  | { kind: 'failed'; sandbox: boolean; amountFen: number; message: Localized }
  | { kind: 'cancelled'; sandbox: boolean; amountFen: number };
