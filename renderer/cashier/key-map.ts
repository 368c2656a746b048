import type { AmountKey } from './amount-entry';

/** What a named key (F-keys, Enter, Esc, arrows...) asks the counter to do. Typed characters are handled by interpretTyped. */
export type CounterCommand =
  | 'charge-code'
  | 'charge-qr'
  | 'charge-cash'
  | 'supersede'
  | 'recent'
  | 'stuck'
  | 'drawer'
  | 'void'
  | 'sign-out'
  | 'shift'
  | 'language'
  | 'cancel'
  | 'line-up'
  | 'line-down'
  | 'remove-line'
  | 'backspace';

/** The keys of each command; the first is the one printed on its button. */
export const COMMAND_KEYS: Record<CounterCommand, readonly string[]> = {
  'charge-code': ['F1', 'Enter'],
  'charge-qr': ['F2'],
  'charge-cash': ['F3'],
  supersede: ['F4'],
  recent: ['F5'],
  stuck: ['F6'],
  drawer: ['F7'],
  void: ['F8'],
  'sign-out': ['F9'],
  shift: ['F10'],
  language: ['F12'],
  cancel: ['Escape'],
  'line-up': ['ArrowUp'],
  'line-down': ['ArrowDown'],
  'remove-line': ['Delete'],
  backspace: ['Backspace'],
};

const BY_KEY = new Map<string, CounterCommand>(
  (Object.entries(COMMAND_KEYS) as [CounterCommand, readonly string[]][]).flatMap(([command, keys]) => keys.map((key) => [key, command] as const)),
);

export function commandForKey(key: string): CounterCommand | null {
  return BY_KEY.get(key) ?? null;
}

/** Short label of a key as printed on a button. */
export function keyLabel(key: string): string {
  switch (key) {
    case 'Escape':
      return 'Esc';
    case 'ArrowUp':
      return '↑';
    case 'ArrowDown':
      return '↓';
    case 'Delete':
      return 'Del';
    default:
      return key;
  }
}

/** The key printed on a command's button. */
export function commandKeyLabel(command: CounterCommand): string {
  return keyLabel(COMMAND_KEYS[command][0] ?? '');
}

/** The aria-keyshortcuts value of a command's button (every key that triggers it). */
export function commandAriaKeys(command: CounterCommand): string {
  return COMMAND_KEYS[command].join(' ');
}

/** What a typed character (delivered by the keyboard-wedge hook as typing, not a scan) means at the counter. */
export type TypedInput = { kind: 'amount'; key: AmountKey } | { kind: 'quick-item'; index: number } | { kind: 'quantity'; delta: 1 | -1 };

/** Digits and the point edit the amount; A–Z pick quick items by position; + / - change the selected line's quantity. */
export function interpretTyped(text: string, quickItemCount: number): TypedInput[] {
  const inputs: TypedInput[] = [];
  for (const char of text) {
    if (/^[0-9]$/.test(char)) inputs.push({ kind: 'amount', key: char as AmountKey });
    else if (char === '.') inputs.push({ kind: 'amount', key: '.' });
    else if (char === '+') inputs.push({ kind: 'quantity', delta: 1 });
    else if (char === '-') inputs.push({ kind: 'quantity', delta: -1 });
    else if (/^[a-z]$/i.test(char)) {
      const index = char.toUpperCase().charCodeAt(0) - 'A'.charCodeAt(0);
      if (index < quickItemCount) inputs.push({ kind: 'quick-item', index });
    }
  }
  return inputs;
}

/** Digits typed into a PIN or code entry that has no text field focused. */
export function digitsOf(text: string): string {
  return text.replace(/[^0-9]/g, '');
}
