import { useEffect, useId, useRef, useState } from 'react';
import type { LastScan } from '../../shared/api';
import { classifyScan, describeScanForLog } from '../../shared/scan';
import { useKeyboardWedge } from '../components/use-keyboard-wedge';
import type { ManagerMessageKey } from './messages';
import { BackupsSection } from './backups-section';
import { HubManagedNote, useHubManaged } from './hub-managed-note';
import { HubSection } from './hub-section';
import { Feedback, PinInput } from './pin-input';
import { SecretsSection } from './secrets-section';
import { formFromSettings, settingsFromForm, validateForm, type FormProblem, type SettingsForm } from './settings-form';
import { isPin, useManager, withApproval } from './use-manager';

type Setter = <K extends keyof SettingsForm>(field: K, value: SettingsForm[K]) => void;

/** Store, WeChat, devices, voice and limits; saved with a manager's PIN. Then keys, the connection test, backups. */
export function SettingsTab() {
  const { api, m } = useManager();
  const [base, setBase] = useState<Record<string, unknown> | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const hubUrl = useHubManaged();

  useEffect(() => {
    void api.call('settings.get', {}).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setBase(r.value);
      setForm(formFromSettings(r.value));
    });
  }, [api]);

  if (!form || !base) return <Feedback error={error} ok={error ? null : m('common.loading')} />;
  const set: Setter = (field, value) => setForm({ ...form, [field]: value });

  const save = async (): Promise<void> => {
    setOk(null);
    setError(null);
    const found = validateForm(form, (key) => m(key));
    setProblems(found);
    if (found.length > 0) return setError(m('settings.invalid'));
    if (!isPin(pin)) return setError(m('settings.needsPin'));
    const next = settingsFromForm(base, form);
    const r = await withApproval(api, 'settings-change', pin, (approvalToken) => api.call('settings.update', { settings: next, approvalToken }));
    setPin('');
    if (!r.ok) return setError(r.error.message);
    setBase(r.value);
    setForm(formFromSettings(r.value));
    setError(null);
    setOk(m('settings.saved'));
  };

  const props = { form, set, problems };
  return (
    <div className="mgr-settings">
      <form
        className="mgr-section"
        aria-label={m('tabs.settings')}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>{m('settings.store')}</legend>
          <HubManagedNote hubUrl={hubUrl} what="settings" />
          <Text {...props} field="storeName" label="settings.storeName" />
          <Text {...props} field="storeAddress" label="settings.storeAddress" />
          <Text {...props} field="terminalId" label="settings.terminalId" />
          <Choice {...props} field="language" label="settings.language" options={[['zh-CN', '简体中文'], ['en', 'English']]} />
          <Choice {...props} field="displayLanguage" label="settings.displayLanguage" options={[['zh-CN', '简体中文'], ['en', 'English']]} />
          <Choice {...props} field="receiptLanguage" label="settings.receiptLanguage" options={[['zh-CN', '简体中文'], ['en', 'English']]} />
          <Text {...props} field="timeZone" label="settings.timeZone" />
        </fieldset>
        <fieldset>
          <legend>{m('settings.wechat')}</legend>
          <Choice {...props} field="mode" label="settings.mode" options={[['sandbox', m('settings.modeSandbox')], ['live', m('settings.modeLive')]]} />
          <Choice {...props} field="apiVersion" label="settings.apiVersion" options={[['v3', 'APIv3'], ['v2', 'APIv2']]} />
          <Text {...props} field="mchid" label="settings.mchid" />
          <Text {...props} field="appid" label="settings.appid" />
          <Text {...props} field="baseUrl" label="settings.baseUrl" />
          <Choice {...props} field="merchantMode" label="settings.merchantMode" options={[['direct', m('settings.merchantDirect')], ['partner', m('settings.merchantPartner')]]} />
          <Text {...props} field="subMchid" label="settings.subMchid" />
          <Text {...props} field="subAppid" label="settings.subAppid" />
          <Check {...props} field="profitSharing" label="settings.profitSharing" />
          {form.mode === 'sandbox' && (
            <>
              <Text {...props} field="sharedSandboxFile" label="settings.sharedSandboxFile" />
              <Text {...props} field="sharedSandboxCa" label="settings.sharedSandboxCa" />
              <Text {...props} field="sharedSandboxUrl" label="settings.sharedSandboxUrl" />
            </>
          )}
        </fieldset>
        <fieldset>
          <legend>{m('settings.printer')}</legend>
          <Text {...props} field="printerUri" label="settings.printerUri" />
          <Choice {...props} field="paperWidthMm" label="settings.paperWidth" options={[['80', '80 mm'], ['58', '58 mm']]} />
          <Check {...props} field="autoPrint" label="settings.autoPrint" />
        </fieldset>
        <fieldset>
          <legend>{m('settings.scanner')}</legend>
          <Check {...props} field="scannerEnabled" label="settings.scannerEnabled" />
          <Text {...props} field="scannerPath" label="settings.scannerPath" />
          <Text {...props} field="baudRate" label="settings.baud" numeric />
          <Choice {...props} field="parity" label="settings.parity" options={[['none', 'none'], ['even', 'even'], ['odd', 'odd']]} />
          <Choice {...props} field="suffix" label="settings.suffix" options={[['auto', 'auto'], ['CR', 'CR'], ['LF', 'LF'], ['CRLF', 'CRLF']]} />
        </fieldset>
        <fieldset>
          <legend>{m('settings.voice')}</legend>
          <Check {...props} field="voice" label="settings.voiceEnabled" />
        </fieldset>
        <fieldset>
          <legend>{m('settings.security')}</legend>
          <Text {...props} field="maxSaleYuan" label="settings.maxSale" numeric />
          <Text {...props} field="maxRefundYuan" label="settings.maxRefund" numeric />
          <Text {...props} field="refundsPerDay" label="settings.refundsPerDay" numeric />
          <Text {...props} field="drawerCapYuan" label="settings.drawerCap" numeric />
          <Text {...props} field="cashOutYuan" label="settings.cashOutLimit" numeric />
          <Text {...props} field="lockAttempts" label="settings.lockAttempts" numeric />
          <Text {...props} field="lockMinutes" label="settings.lockMinutes" numeric />
        </fieldset>
        <div className="mgr-save-bar">
          <PinInput value={pin} onChange={setPin} />
          <button type="submit" className="primary">
            {m('settings.save')}
          </button>
        </div>
        <Feedback error={error} ok={ok} />
        {problems.length > 0 && (
          <ul className="mgr-problems" aria-label={m('settings.invalid')}>
            {problems.map((p) => (
              <li key={p.field}>{m(p.key, p.params)}</li>
            ))}
          </ul>
        )}
      </form>
      <TestConnection />
      <DeviceTests />
      <SecretsSection />
      <BackupsSection />
      <HubSection />
    </div>
  );
}

interface FieldProps<K extends keyof SettingsForm> {
  form: SettingsForm;
  set: Setter;
  problems: FormProblem[];
  field: K;
  label: ManagerMessageKey;
}

function useProblem(problems: FormProblem[], field: keyof SettingsForm) {
  const { m } = useManager();
  const id = useId();
  const problem = problems.find((p) => p.field === field);
  return { id, text: problem ? m(problem.key, problem.params) : null };
}

function Text<K extends keyof SettingsForm>({ form, set, problems, field, label, numeric }: FieldProps<K> & { numeric?: boolean }) {
  const { m } = useManager();
  const problem = useProblem(problems, field);
  return (
    <label className="mgr-field">
      {m(label)}
      <input
        aria-label={m(label)}
        value={String(form[field])}
        inputMode={numeric ? 'decimal' : undefined}
        aria-invalid={problem.text ? true : undefined}
        aria-describedby={problem.text ? problem.id : undefined}
        onChange={(e) => set(field, e.target.value as SettingsForm[K])}
      />
      {problem.text && (
        <span id={problem.id} className="mgr-field-error">
          {problem.text}
        </span>
      )}
    </label>
  );
}

function Choice<K extends keyof SettingsForm>({ form, set, field, label, options }: FieldProps<K> & { options: [string, string][] }) {
  const { m } = useManager();
  return (
    <label className="mgr-field">
      {m(label)}
      <select value={String(form[field])} onChange={(e) => set(field, e.target.value as SettingsForm[K])}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function Check<K extends keyof SettingsForm>({ form, set, field, label }: FieldProps<K>) {
  const { m } = useManager();
  return (
    <label className="mgr-check">
      <input type="checkbox" checked={form[field] === true} onChange={(e) => set(field, e.target.checked as SettingsForm[K])} />
      {m(label)}
    </label>
  );
}

/** A real signed call to WeChat (or the sandbox), explained in words. */
function TestConnection() {
  const { api, m, text } = useManager();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; words: string } | null>(null);
  const test = async (): Promise<void> => {
    setBusy(true);
    setResult(null);
    const r = await api.call('wechat.testConnection', {});
    setBusy(false);
    setResult(r.ok ? { ok: r.value.ok, words: `${text(r.value.message)}${r.value.code ? ` (${r.value.code})` : ''} · ${r.value.apiVersion}` } : { ok: false, words: r.error.message });
  };
  return (
    <section className="mgr-section mgr-card" aria-labelledby="mgr-test-title">
      <h2 id="mgr-test-title">{m('settings.testConnection')}</h2>
      <button type="button" onClick={() => void test()} disabled={busy}>
        {busy ? m('settings.testing') : m('settings.testConnection')}
      </button>
      {result && (
        <p className={result.ok ? 'mgr-ok' : 'mgr-error'} role="status" data-testid="test-connection-result">
          {result.words}
        </p>
      )}
    </section>
  );
}

/**
 * Test print (a page on the configured printer) and test scan (the next code either scanner reads, masked). A
 * keyboard-wedge scanner types into the window that has the focus, which during the test is this one: so the
 * test listens for a wedge burst here too, not only for what the counter heard.
 */
function DeviceTests() {
  const { api, m, text } = useManager();
  const [printResult, setPrintResult] = useState<{ ok: boolean; words: string } | null>(null);
  const [scanWords, setScanWords] = useState<string | null>(null);
  const [listening, setListening] = useState(false);
  const scanSeen = useRef(false);
  const seenWords = (scan: Pick<LastScan, 'kind' | 'shown' | 'source'>): string =>
    m('settings.scanSeen', { kind: m(scanKindKey(scan.kind)), shown: scan.shown, source: m(scan.source === 'wedge' ? 'settings.scanSourceWedge' : 'settings.scanSourceSerial') });
  const testPrint = async (): Promise<void> => {
    const r = await api.call('devices.testPrint', {});
    setPrintResult(r.ok ? { ok: r.value.queued, words: text(r.value.message) } : { ok: false, words: r.error.message });
  };
  const onWedgeScan = (code: string): void => {
    const described = describeScanForLog(classifyScan(code));
    const shown = String(described.code ?? described.barcode ?? (described.receiptNo ? `${described.terminalId}-${described.receiptNo}` : ''));
    scanSeen.current = true;
    setListening(false);
    setScanWords(seenWords({ kind: String(described.kind), shown, source: 'wedge' }));
  };
  const testScan = async (): Promise<void> => {
    const since = Date.now();
    scanSeen.current = false;
    setListening(true);
    setScanWords(m('settings.scanNow'));
    for (let i = 0; i < 30 && !scanSeen.current; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (scanSeen.current) return;
      const r = await api.call('devices.lastScan', {});
      if (!r.ok) {
        setListening(false);
        setScanWords(r.error.message);
        return;
      }
      const scan = r.value.scan;
      if (scan && scan.at >= since - 1000) {
        scanSeen.current = true;
        setListening(false);
        setScanWords(seenWords(scan));
        return;
      }
    }
    if (scanSeen.current) return;
    setListening(false);
    setScanWords(m('settings.scanNone'));
  };
  return (
    <section className="mgr-section mgr-card" aria-labelledby="mgr-devices-title">
      <h2 id="mgr-devices-title">{m('settings.devices')}</h2>
      <button type="button" onClick={() => void testPrint()}>
        {m('settings.testPrint')}
      </button>{' '}
      <button type="button" onClick={() => void testScan()}>
        {m('settings.testScan')}
      </button>
      {printResult && (
        <p className={printResult.ok ? 'mgr-ok' : 'mgr-error'} role="status" data-testid="test-print-result">
          {printResult.words}
        </p>
      )}
      {listening && <WedgeListener onScan={onWedgeScan} />}
      {scanWords && (
        <p role="status" data-testid="test-scan-result">
          {scanWords}
        </p>
      )}
    </section>
  );
}

/** Mounted only while a test scan waits: a wedge burst anywhere in this window is the scan (typing passes through). */
function WedgeListener({ onScan }: { onScan: (code: string) => void }) {
  useKeyboardWedge({ onScan, onTyped: () => {} });
  return null;
}

function scanKindKey(kind: string): ManagerMessageKey {
  switch (kind) {
    case 'wechat-pay-code':
      return 'settings.scanKindWechat';
    case 'alipay-code':
      return 'settings.scanKindAlipay';
    case 'receipt':
      return 'settings.scanKindReceipt';
    case 'product':
      return 'settings.scanKindProduct';
    default:
      return 'settings.scanKindUnreadable';
  }
}
