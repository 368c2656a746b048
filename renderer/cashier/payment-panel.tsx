import { pick, type Localized } from '../../shared/i18n';
import { formatYuan, type Fen } from '../../shared/money';
import { describeAttempt, type AttemptView, type SaleView } from '../../shared/payments';
import { useApp } from '../app-context';
import { KeyButton } from '../components/dialog';
import { attemptActivity, attemptTone, changeGiven, isPending, wechatPaidFen } from './payment-progress';
import { commandAriaKeys, commandKeyLabel, type CounterCommand } from './key-map';

/** The tender buttons, each with its key; a disabled one says why in its title and in words next to it. */
export function TenderButtons({
  canCharge,
  pending,
  qrBlockedReason,
  onCommand,
  escLabel,
}: {
  canCharge: boolean;
  pending: boolean;
  qrBlockedReason: Localized | null;
  onCommand: (command: CounterCommand) => void;
  /** What Esc does right now, or null when it does nothing worth a button. */
  escLabel: string | null;
}) {
  const { t, language } = useApp();
  const button = (command: CounterCommand, label: string, disabled: boolean, className: string, title?: string) => (
    <KeyButton
      key={command}
      className={className}
      label={label}
      keyLabel={command === 'charge-code' ? `${commandKeyLabel(command)} / Enter` : commandKeyLabel(command)}
      ariaKeys={commandAriaKeys(command)}
      onClick={() => onCommand(command)}
      disabled={disabled}
      title={title}
    />
  );
  return (
    <div className="tender-buttons" role="group" aria-label={t('tender.group')}>
      {button('charge-code', t('tender.wechatCode'), !canCharge || pending, 'tender-button tender-code')}
      {qrBlockedReason ? (
        <p className="tender-blocked" role="note" data-testid="qr-unavailable">
          {t('tender.qrUnavailable')}：{pick(qrBlockedReason, language)}
        </p>
      ) : (
        button('charge-qr', t('tender.wechatQr'), !canCharge || pending, 'tender-button tender-qr')
      )}
      {button('charge-cash', t('tender.cash'), !canCharge || pending, 'tender-button tender-cash')}
      {pending && button('supersede', t('tender.supersede'), false, 'tender-button tender-supersede', t('tender.supersedeHint'))}
      {escLabel && <KeyButton className="tender-button tender-escape" label={escLabel} keyLabel="Esc" ariaKeys="Escape" onClick={() => onCommand('cancel')} />}
    </div>
  );
}

/** What is happening with the customer's money, in words: the newest attempt, or what to do next. */
export function PaymentStatus({
  sale,
  attempt,
  now,
  online,
  lastCash,
}: {
  sale: SaleView;
  attempt: AttemptView | null;
  now: number;
  online: boolean;
  lastCash: { changeFen: Fen; tenderedFen: Fen } | null;
}) {
  const { t, language } = useApp();
  if (sale.state === 'paid') return <PaidStatus sale={sale} />;
  const cash = lastCash && (
    <p className="status-change" data-testid="change">
      {t('payment.change')} <strong>{formatYuan(lastCash.changeFen)}</strong>
    </p>
  );
  if (!attempt || attempt.superseded || attempt.state === 'paid') {
    return (
      <div className="payment-status tone-prompt" role="status" aria-live="polite" data-testid="payment-status">
        <p className="status-words">{t('payment.scanPrompt', { amount: formatYuan(sale.dueFen) })}</p>
        {cash}
        {sale.paidFen > 0 && <p className="status-next">{t('payment.partPaid', { paid: formatYuan(sale.paidFen), due: formatYuan(sale.dueFen) })}</p>}
      </div>
    );
  }
  const words = pick(describeAttempt(attempt, { now, online }), language);
  const tone = attemptTone(attempt);
  return (
    <div className={`payment-status tone-${tone}`} role="status" aria-live="polite" data-testid="payment-status" data-state={attempt.state}>
      <p className="status-words">{words}</p>
      <p className="status-amount">
        {attempt.mode === 'native' ? t('tender.wechatQr') : t('tender.wechatCode')} {formatYuan(attempt.amountFen)}
        {attempt.authCodeMasked && <span className="status-code"> · {attempt.authCodeMasked}</span>}
      </p>
      {isPending(attempt) ? (
        <p className="status-next">{pick(attemptActivity(attempt, now, online), language)}</p>
      ) : (
        <p className="status-next">
          {/* Say plainly that the customer was not charged, unless the reason already does. */}
          {attemptTone(attempt) === 'error' && !words.includes(t('payment.noMoney')) && `${t('payment.noMoney')}${language === 'en' ? '. ' : '。'}`}
          {t('payment.tryAgain')}
        </p>
      )}
      {cash}
    </div>
  );
}

function PaidStatus({ sale }: { sale: SaleView }) {
  const { t } = useApp();
  const change = changeGiven(sale);
  const wechat = wechatPaidFen(sale);
  return (
    <div className="payment-status tone-success" role="status" aria-live="assertive" data-testid="payment-status" data-state="paid">
      <p className="status-words status-paid">{t('payment.paid')}</p>
      <p className="status-amount">{formatYuan(sale.totalFen)}</p>
      {wechat > 0 && wechat < sale.totalFen && <p className="status-next">{t('payment.wechatPart', { amount: formatYuan(wechat) })}</p>}
      {change > 0 && (
        <p className="status-change status-change-big" data-testid="change">
          {t('payment.change')} <strong>{formatYuan(change)}</strong>
        </p>
      )}
      <p className="status-next">{t('payment.nextSale')}</p>
    </div>
  );
}
