import { z } from 'zod';
import type { ReceiptDocument } from '../../../shared/receipt';

const align = z.enum(['left', 'center', 'right']);

const block = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string(),
    align: align.optional(),
    bold: z.boolean().optional(),
    size: z.enum(['normal', 'double']).optional(),
  }),
  z.object({ type: z.literal('row'), left: z.string(), right: z.string(), bold: z.boolean().optional() }),
  z.object({ type: z.literal('rule'), style: z.enum(['single', 'double']).optional() }),
  z.object({ type: z.literal('qr'), data: z.string().min(1) }),
  z.object({ type: z.literal('blank') }),
]);

const receiptDocument = z.object({
  version: z.literal(1),
  lang: z.enum(['zh', 'en']),
  blocks: z.array(block),
  copy: z.boolean().optional(),
});

/**
 * Checks a document read back from the print queue (it may have been written by an older or newer app
 * version). Throws with the zod issues when it is not one this version can print.
 */
export function parseReceiptDocument(json: string): ReceiptDocument {
  const parsed = receiptDocument.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`not a printable receipt document: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
