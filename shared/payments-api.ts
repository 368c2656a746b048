/**
 * Request schemas for the payment methods, ready for the API contract (shared/api.ts): each entry is one method
 * the cashier or manager window may call, validated where it enters the main side, answered by the PaymentService
 * method named in the comment. Results and events are the types in shared/payments.ts.
 */
import { z } from 'zod';

const id = z.number().int().positive();
const fenAmount = z.number().int().safe().positive().max(100_000_000);

export const paymentRequestSchemas = {
  /** createSale → SaleView */
  'sale.create': z
    .object({
      cashierId: z.string().min(1).max(64),
      shiftId: z.string().min(1).max(64).nullable().optional(),
      lines: z
        .array(z.object({ name: z.string().min(1).max(64), unitFen: z.number().int().safe().min(0), quantity: z.number().int().min(1).max(9999) }).strict())
        .max(500)
        .optional(),
      amountFen: fenAmount.optional(),
      description: z.string().max(120).optional(),
    })
    .strict(),
  /** getSale → SaleView */
  'sale.get': z.object({ saleId: id }).strict(),
  /** findSaleByReceiptNo → SaleView | null */
  'sale.findByReceiptNo': z.object({ receiptNo: id }).strict(),
  /** listSales → SaleView[] */
  'sale.list': z.object({ from: z.number().int(), to: z.number().int(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  /** voidSale → SaleView */
  'sale.void': z.object({ saleId: id, reason: z.string().max(200).optional() }).strict(),
  /** scanPaymentCode → AttemptView (the text as scanned: validated on the main side, never echoed) */
  'payment.scanCode': z.object({ saleId: id, scanned: z.string().max(64), amountFen: fenAmount.optional() }).strict(),
  /** startNativeQr → AttemptView (code OFFLINE while WeChat is unreachable) */
  'payment.startQr': z.object({ saleId: id, amountFen: fenAmount.optional() }).strict(),
  /** cancelNativeQr → AttemptView */
  'payment.cancelQr': z.object({ attemptId: id }).strict(),
  /** payCash → CashResult */
  'payment.cash': z.object({ saleId: id, tenderedFen: fenAmount, amountFen: fenAmount.optional() }).strict(),
  /** supersedeAttempt → AttemptView */
  'payment.supersede': z.object({ attemptId: id }).strict(),
  /** getAttempt → AttemptView */
  'payment.getAttempt': z.object({ attemptId: id }).strict(),
  /** listAttemptsForReview → AttemptView[] (manager) */
  'payment.listForReview': z.object({}).strict(),
  /** requestRefund → RefundResult (approvedBy comes from the manager PIN check, never from the cashier's input) */
  'refund.request': z.object({ saleId: id, amountFen: fenAmount, approvedBy: z.string().min(1).max(64), reason: z.string().max(80).optional() }).strict(),
  /** listRefunds → RefundView[] */
  'refund.list': z.object({ saleId: id }).strict(),
  /** syncStatus → SyncStatus */
  'sync.status': z.object({}).strict(),
} as const;

export type PaymentMethodName = keyof typeof paymentRequestSchemas;
