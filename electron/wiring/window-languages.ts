import type { WindowRole } from '../../shared/api';
import type { Language, WindowLanguages } from '../../shared/i18n';

export interface WindowLanguageDeps {
  settings(): { language: Language; managerLanguage: Language; displayLanguage: Language; receiptLanguage: Language };
  /** Who is signed in at the cashier window (the counter's cashier), if anyone. */
  cashierId(): string | null;
  /** The language a person chose at the cashier window (their staff record, migration 0017), or null. */
  personLanguage(userId: string): Language | null;
  savePersonLanguage(userId: string, language: Language): void;
  saveManagerLanguage(language: Language): void;
}

/**
 * Which language each window speaks (issue 18: one switch must not switch the others).
 *
 * - Cashier window: the signed-in person's own choice, remembered for them when they switch (F12) while signed
 *   in. A person who never chose keeps what the sign-in screen showed. Nobody signed in: the counter's default
 *   (settings `language`), or what F12 chose on the sign-in screen until someone signs out again (a passing
 *   switch there changes no setting: the next person starts from the store's default).
 * - Manager window: its own language (settings `managerLanguage`), switched by its F12 / language button.
 * - Customer display and printed slips/reports: settings (`displayLanguage`, `receiptLanguage`), changed by a
 *   manager in the settings tab; never by a window's switch.
 */
export class WindowLanguageChoice {
  /** F12 on the cashier window's sign-in screen, or the language the signed-in person is using now. */
  private cashierWindow: Language | null = null;

  constructor(private readonly deps: WindowLanguageDeps) {}

  current(): WindowLanguages {
    const s = this.deps.settings();
    const person = this.deps.cashierId();
    const unsigned = this.cashierWindow ?? s.language;
    return {
      cashier: (person === null ? null : this.deps.personLanguage(person)) ?? unsigned,
      manager: s.managerLanguage,
      display: s.displayLanguage,
      receipt: s.receiptLanguage,
    };
  }

  /** A window's own switch. The customer display has none (it calls nothing); slips follow a setting. */
  choose(window: WindowRole, language: Language): void {
    if (window === 'manager') return this.deps.saveManagerLanguage(language);
    if (window !== 'cashier') return;
    const person = this.deps.cashierId();
    if (person !== null) this.deps.savePersonLanguage(person, language);
    this.cashierWindow = language;
  }

  /** The cashier window's person changed: a sign-in keeps what was shown (unless the person chose); a sign-out goes back to the default. */
  cashierChanged(signedIn: boolean): void {
    if (!signedIn) this.cashierWindow = null;
  }
}
