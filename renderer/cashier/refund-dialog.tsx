import { pick } from '../../shared/i18n';
import { formatYuan, type Fen } from '../../shared/money';
import { describeRefund, type SaleView } from '../../shared/payments';
import { useApp } from '../app-context';
import { Dialog } from '../components/dialog';
import { RefundFields, type RefundEntry } from './refund-fields';
import { cashToHandBack, refundLineKey } from './refund-words';

/** Kept here too: the shift, drawer and alert dialogs take the manager's PIN field from this module. */
export { ManagerPinField } from './refund-fields';

/** Refund all or part of a paid sale; the manager approves with a PIN. WeChat parts may finish later (pending). */
export function RefundDialog({
  sale,
  refundableFen,
  onDone,
  onClose,
}: {
  sale: SaleView;
  refundableFen: Fen;
  /** The words of the result, and the cash to hand back to the customer (zero when none). */
  onDone: (message: string, cashFen: Fen) => void;
  onClose: () => void;
}) {
  const { t, language, api } = useApp();

  const send = async (entry: RefundEntry): Promise<string | null> => {
    const result = await api.call('refund.request', { saleId: sale.id, ...entry });
    if (!result.ok) return result.error.message;
    // Each part with the tender it goes back to; cash parts leave the drawer now, so the cashier is told to hand them over.
    const words = result.value.refunds.map((r) => `${t(refundLineKey(r), { amount: formatYuan(r.amountFen) })} ${pick(describeRefund(r), language)}`).join('；');
    onDone(result.value.pending ? t('refund.donePending', { words }) : t('refund.done', { words }), cashToHandBack(result.value.refunds));
    return null;
  };

  return (
    <Dialog title={t('refund.title', { no: sale.receiptNo })} onClose={onClose} closeLabel={t('dialog.cancel')} testId="refund-dialog">
      <div className="form-fields">
        <RefundFields refundableFen={refundableFen} send={send} onClose={onClose} />
      </div>
    </Dialog>
  );
}
