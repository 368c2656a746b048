import { useRef } from 'react';
import { fen, formatYuan } from '../../shared/money';
import { DENOMINATIONS_FEN, type DenominationFen } from '../../shared/shifts';
import './denomination-count.css';
import { countOf, countsTotalFen, countTextFrom, denominationLabel, type CountTexts } from './denomination-counts';

export interface DenominationCountLabels {
  group: string;
  denomination: string;
  quantity: string;
  subtotal: string;
  total: string;
  /** The accessible name of one row's field, e.g. "￥100 的数量". */
  quantityOf: (denomination: string) => string;
}

/**
 * Counting cash by denomination (notes and coins, largest first): one field per denomination, its subtotal and
 * the total counted. Keyboard first: Enter or ↓ goes to the next row, ↑ back; Enter on the last row submits.
 * Used for the opening float, the cashier's blind count and a manager's count of a shift left open.
 */
export function DenominationCount({
  texts,
  onChange,
  labels,
  onSubmit,
  autoFocus = false,
  disabled = false,
}: {
  texts: CountTexts;
  onChange: (next: CountTexts) => void;
  labels: DenominationCountLabels;
  onSubmit?: () => void;
  autoFocus?: boolean;
  disabled?: boolean;
}) {
  const fields = useRef<(HTMLInputElement | null)[]>([]);
  const move = (index: number, by: 1 | -1): void => {
    const next = fields.current[index + by];
    next?.focus();
    next?.select();
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>, index: number): void => {
    if (event.key === 'ArrowDown' || (event.key === 'Enter' && index < DENOMINATIONS_FEN.length - 1)) move(index, 1);
    else if (event.key === 'ArrowUp') move(index, -1);
    else if (event.key === 'Enter' && onSubmit) onSubmit();
    else return;
    // Handled here: the window's key layer (which would take Enter as "confirm") skips a prevented key.
    event.preventDefault();
  };
  const set = (denomination: DenominationFen, raw: string): void => onChange({ ...texts, [denomination]: countTextFrom(raw) });

  return (
    <div className="denomination-count" role="group" aria-label={labels.group}>
      <table>
      <thead>
        <tr>
          <th scope="col">{labels.denomination}</th>
          <th scope="col">{labels.quantity}</th>
          <th scope="col" className="num">
            {labels.subtotal}
          </th>
        </tr>
      </thead>
      <tbody>
        {DENOMINATIONS_FEN.map((denomination, index) => {
          const label = denominationLabel(denomination);
          return (
            <tr key={denomination}>
              <th scope="row">{label}</th>
              <td>
                <input
                  ref={(element) => {
                    fields.current[index] = element;
                  }}
                  aria-label={labels.quantityOf(label)}
                  inputMode="numeric"
                  autoComplete="off"
                  autoFocus={autoFocus && index === 0}
                  disabled={disabled}
                  maxLength={5}
                  placeholder="0"
                  value={texts[denomination]}
                  onChange={(e) => set(denomination, e.target.value)}
                  onKeyDown={(e) => onKeyDown(e, index)}
                />
              </td>
              <td className="num">{formatYuan(fen(denomination * countOf(texts, denomination)))}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {labels.total}
          </th>
          <td className="num" data-testid="count-total">
            <strong>{formatYuan(countsTotalFen(texts))}</strong>
          </td>
        </tr>
      </tfoot>
      </table>
    </div>
  );
}
