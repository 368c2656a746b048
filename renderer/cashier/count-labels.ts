import { useApp } from '../app-context';
import type { DenominationCountLabels } from '../components/denomination-count';

/** The cashier window's words for the denomination count. */
export function useCountLabels(): DenominationCountLabels {
  const { t } = useApp();
  return {
    group: t('count.group'),
    denomination: t('count.denomination'),
    quantity: t('count.quantity'),
    subtotal: t('count.subtotal'),
    total: t('count.total'),
    quantityOf: (denomination) => t('count.quantityOf', { denomination }),
  };
}
