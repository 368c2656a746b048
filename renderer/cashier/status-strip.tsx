import type { PrinterStatusView, SessionUser } from '../../shared/api';
import { pick } from '../../shared/i18n';
import type { SyncStatus } from '../../shared/payments';
import type { ScannerState } from '../../shared/scan';
import type { ShiftView } from '../../shared/shifts';
import { ROLE_LABELS } from '../../shared/security';
import { useApp } from '../app-context';
import type { MessageKey } from '../i18n/messages';
import { formatClock } from './format';
import { DataProblemsNotice } from '../components/data-problems';

type Tone = 'ok' | 'warn' | 'bad' | 'muted';

function Fact({ label, value, tone = 'muted', testId }: { label: string; value: string; tone?: Tone; testId?: string }) {
  return (
    <span className={`fact fact-${tone}`} data-testid={testId}>
      <span className="fact-label">{label}</span>
      <span className="fact-value">{value}</span>
    </span>
  );
}

function networkFact(sync: SyncStatus | null): { key: MessageKey; tone: Tone } {
  if (!sync || sync.connectivity === 'unknown') return { key: 'status.networkUnknown', tone: 'muted' };
  return sync.connectivity === 'online' ? { key: 'status.online', tone: 'ok' } : { key: 'status.offline', tone: 'bad' };
}

function scannerFact(state: ScannerState | null): { key: MessageKey; tone: Tone } {
  switch (state?.status) {
    case undefined:
      return { key: 'status.unknown', tone: 'muted' };
    case 'disabled':
      return { key: 'status.scannerWedgeOnly', tone: 'muted' };
    case 'connecting':
      return { key: 'status.scannerConnecting', tone: 'warn' };
    case 'connected':
      return { key: 'status.scannerConnected', tone: 'ok' };
    case 'reconnecting':
      return { key: 'status.scannerReconnecting', tone: 'warn' };
    case 'error':
      return { key: 'status.scannerError', tone: 'bad' };
  }
}

function printerFact(state: PrinterStatusView | null): { key: MessageKey; tone: Tone } {
  if (!state) return { key: 'status.unknown', tone: 'muted' };
  if (!state.configured) return { key: 'status.printerNone', tone: 'muted' };
  return state.problem === null ? { key: 'status.printerReady', tone: 'ok' } : { key: 'status.printerProblem', tone: 'bad' };
}

/**
 * The strip at the top of the counter: where (store, terminal), who (cashier, shift), and whether the network,
 * scanner and printer work. Everything the cashier must not miss is role="status" so screen readers announce it.
 */
export function StatusStrip({
  user,
  sync,
  scanner,
  printer,
  shift,
}: {
  user: SessionUser | null;
  sync: SyncStatus | null;
  scanner: ScannerState | null;
  printer: PrinterStatusView | null;
  shift: ShiftView | null | undefined;
}) {
  const { info, t, language, api, timeZone } = useApp();
  const network = networkFact(sync);
  const scan = scannerFact(scanner);
  const print = printerFact(printer);
  const scannerDetail = scanner?.status === 'error' ? pick(scanner.message, language) : scanner?.status === 'reconnecting' && scanner.lastError ? pick(scanner.lastError, language) : null;
  const printerDetail = printer?.message ? pick(printer.message, language) : null;
  const switchLanguage = (): void => {
    void api.call('app.setLanguage', { language: language === 'en' ? 'zh-CN' : 'en' });
  };
  return (
    <header className="status-strip" role="banner">
      <span className="store-name">{info?.storeName ?? t('app.connecting')}</span>
      {info && <Fact label={t('app.terminal')} value={info.terminalId} />}
      {user && (
        <span title={pick(ROLE_LABELS[user.role], language)}>
          <Fact label={t('status.cashier')} value={user.name} testId="status-cashier" />
        </span>
      )}
      <Fact
        label={t('status.shift')}
        value={shift === undefined ? t('status.shiftUnknown') : shift === null ? t('status.shiftNone') : t('status.shiftOpen', { time: formatClock(shift.openedAt, language, timeZone).slice(0, 5) })}
        tone={shift === null ? 'warn' : shift ? 'ok' : 'muted'}
        testId="status-shift"
      />
      <span role="status" className="fact-group" aria-label={t('status.network')}>
        <Fact label={t('status.network')} value={t(network.key)} tone={network.tone} testId="status-network" />
        <Fact label={t('status.queue')} value={String(sync?.queueLength ?? 0)} tone={(sync?.queueLength ?? 0) > 0 ? 'warn' : 'muted'} testId="status-queue" />
      </span>
      <span role="status" title={scannerDetail ?? undefined}>
        <Fact label={t('status.scanner')} value={t(scan.key)} tone={scan.tone} testId="status-scanner" />
      </span>
      <span role="status" title={printerDetail ?? undefined}>
        <Fact
          label={t('status.printer')}
          value={printerDetail && print.tone === 'bad' ? printerDetail : printer && printer.pendingJobs > 0 ? `${t(print.key)} · ${t('status.printerPending', { n: printer.pendingJobs })}` : t(print.key)}
          tone={print.tone}
          testId="status-printer"
        />
      </span>
      {info?.sandbox && (
        <span className="sandbox-badge" title={t('app.sandboxHint')} role="status">
          {t('app.sandbox')}
        </span>
      )}
      <span className="strip-actions">
        <button type="button" className="language" onClick={switchLanguage} aria-label={t('app.language')} aria-keyshortcuts="F12">
          {t('app.switchLanguage')}
          <kbd>F12</kbd>
        </button>
      </span>
      {info?.settingsProblem && (
        <div className="settings-problem" role="alert">
          {t('app.settingsProblem')}: {info.settingsProblem}
        </div>
      )}
      <DataProblemsNotice />
    </header>
  );
}
