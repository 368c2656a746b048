import { useRef, useState } from 'react';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { ManagerPinField } from './refund-dialog';

/** Opening the drawer without a sale needs a manager's PIN (it is counted as a no-sale on the shift report). */
export function DrawerDialog({ onOpened, onClose }: { onOpened: () => void; onClose: () => void }) {
  const { t, api } = useApp();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  const submit = async (): Promise<void> => {
    const pin = pinRef.current?.value ?? '';
    if (busy) return;
    if (!/^\d{4,8}$/.test(pin)) {
      setProblem(t('manager.pinFormat'));
      return;
    }
    setBusy(true);
    const result = await api.call('drawer.open', { managerPin: pin });
    setBusy(false);
    if (result.ok) onOpened();
    else setProblem(result.error.message);
  };

  useInputLayer({
    onKey: (event) => {
      if (event.key === 'Escape') onClose();
      else if (event.key === 'Enter') void submit();
      else return;
      event.preventDefault();
    },
  });

  return (
    <Dialog title={t('drawer.title')} onClose={onClose} closeLabel={t('dialog.cancel')} testId="drawer-dialog">
      <div className="form-fields">
        <p>{t('drawer.help')}</p>
        <ManagerPinField inputRef={pinRef} autoFocus />
        {problem && (
          <p className="dialog-error" role="alert">
            {problem}
          </p>
        )}
        <KeyButton className="primary" label={t('drawer.submit')} keyLabel="Enter" ariaKeys="Enter" onClick={() => void submit()} disabled={busy} />
      </div>
    </Dialog>
  );
}
