import type { AmountKey } from '../cashier/amount-entry';

export interface NumpadLabels {
  group: string;
  backspace: string;
  clear: string;
  /** The key printed on the clear button (Esc on the counter, Del in dialogs). */
  clearKey: string;
}

const DIGIT_ROWS: AmountKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '0'];

/**
 * An on-screen numpad for touch screens. Its buttons never take the focus (a text field being typed into keeps
 * it), and each shows the key that does the same on a keyboard.
 */
export function Numpad({ labels, onKey, withPoint = true, compact = false }: { labels: NumpadLabels; onKey: (key: AmountKey) => void; withPoint?: boolean; compact?: boolean }) {
  const keepFocus = (event: React.MouseEvent | React.PointerEvent): void => event.preventDefault();
  const button = (key: AmountKey, text: React.ReactNode, name: string, shortcut?: string, className?: string) => (
    <button
      key={key}
      type="button"
      className={className}
      onMouseDown={keepFocus}
      onPointerDown={keepFocus}
      onClick={() => onKey(key)}
      aria-label={name}
      aria-keyshortcuts={shortcut}
    >
      {text}
    </button>
  );
  return (
    <div className={compact ? 'numpad numpad-compact' : 'numpad'} role="group" aria-label={labels.group}>
      {DIGIT_ROWS.map((d) => button(d, d, d, d))}
      {withPoint ? button('.', '.', '.', '.') : button('00', '00', '00')}
      {button('backspace', <>⌫<kbd>Bksp</kbd></>, labels.backspace, 'Backspace', 'numpad-edit')}
      {button('clear', <>{labels.clear}<kbd>{labels.clearKey}</kbd></>, labels.clear, labels.clearKey === 'Esc' ? 'Escape' : 'Delete', 'numpad-edit numpad-wide')}
    </div>
  );
}
