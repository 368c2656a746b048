import { useApp } from '../app-context';
import { InputLayers } from '../components/input-layers';
import { localized } from '../i18n/messages';
import { CounterScreen } from './counter-screen';
import { ShiftOpenScreen } from './shift-open-screen';
import { SignInScreen } from './sign-in-screen';
import { StatusStrip } from './status-strip';
import { useCounter } from './use-counter';

/** The cashier's window: the status strip always, then sign-in or the counter. */
export function CashierScreen() {
  const { api, language } = useApp();
  const counter = useCounter(api);
  const signOut = async (): Promise<void> => {
    if (counter.sale?.state === 'open') {
      counter.showError({ localized: localized('counter.finishFirst') });
      return;
    }
    await counter.run('auth.signOut', {});
    counter.setUser(null);
  };
  const onGlobalKey = (event: KeyboardEvent): boolean => {
    if (event.key !== 'F12') return false;
    event.preventDefault();
    void api.call('app.setLanguage', { language: language === 'en' ? 'zh-CN' : 'en' });
    return true;
  };
  return (
    <InputLayers onGlobalKey={onGlobalKey}>
      <div className="cashier">
        <StatusStrip
          user={counter.user}
          sync={counter.sync}
          scanner={counter.scanner}
          printer={counter.printer}
          shift={counter.user ? counter.shift : undefined}
        />
        {!counter.ready ? null : !counter.user ? (
          <SignInScreen onSignedIn={counter.setUser} />
        ) : counter.shift === undefined ? null : counter.shift === null ? (
          // No shift open on this terminal: no sale can be taken until one is opened (开班).
          <ShiftOpenScreen counter={counter} onSignOut={() => void signOut()} />
        ) : (
          <CounterScreen counter={counter} onSignOut={() => void signOut()} />
        )}
      </div>
    </InputLayers>
  );
}
