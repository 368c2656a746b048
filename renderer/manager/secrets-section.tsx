import { useState } from 'react';
import { splitBilingual, type Localized } from '../../shared/i18n';
import { SECRET_FIELDS, type SecretField } from '../../shared/security';
import { fileToBase64 } from './download';
import { Feedback, PinInput } from './pin-input';
import { isPin, useLoad, useManager, withApproval } from './use-manager';

const PEM_FIELDS: readonly SecretField[] = ['merchantPrivateKeyPem', 'wechatPayPublicKeyPem', 'clientCertPem', 'clientKeyPem', 'platformCertificates'];
const LABELS: Record<SecretField, Localized> = {
  apiKeyV2: { zh: 'APIv2 密钥', en: 'APIv2 key' },
  apiV3Key: { zh: 'APIv3 密钥', en: 'APIv3 key' },
  merchantPrivateKeyPem: { zh: '商户私钥', en: 'merchant private key (PEM)' },
  merchantCertSerial: { zh: '商户证书序列号', en: 'certificate serial' },
  wechatPayPublicKeyPem: { zh: '微信支付公钥', en: 'WeChat Pay public key (PEM)' },
  wechatPayPublicKeyId: { zh: '微信支付公钥 ID', en: 'public key id' },
  platformCertificates: { zh: '平台证书', en: 'platform certificates (PEM)' },
  clientCertPem: { zh: 'v2 客户端证书', en: 'v2 client certificate (PEM)' },
  clientKeyPem: { zh: 'v2 客户端私钥', en: 'v2 client key (PEM)' },
};

/** Masked summaries only; a secret can be replaced (with approval) but is never read back. */
export function SecretsSection() {
  const { api, m, text } = useManager();
  const status = useLoad(api, 'secrets.describe', {});
  const [field, setField] = useState<SecretField>('apiV3Key');
  const [value, setValue] = useState('');
  const [p12, setP12] = useState<File | null>(null);
  const [p12Password, setP12Password] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);

  const finish = (r: Awaited<ReturnType<typeof api.call<'secrets.replace'>>>, what: string): void => {
    setPin('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setValue('');
    setOk(m('settings.secretSaved', { field: what }));
    status.setValue(r.value);
  };
  const replace = async (): Promise<void> => {
    if (!isPin(pin)) return setError(m('pin.format'));
    const r = await withApproval(api, 'settings-change', pin, (approvalToken) =>
      api.call('secrets.replace', PEM_FIELDS.includes(field) ? { field: field as 'clientKeyPem', value, approvalToken } : { field: field as 'apiV3Key', value: value.trim(), approvalToken }),
    );
    finish(r, text(LABELS[field]));
  };
  const uploadP12 = async (): Promise<void> => {
    if (!p12) return;
    if (!isPin(pin)) return setError(m('pin.format'));
    const pkcs12Base64 = await fileToBase64(p12);
    const r = await withApproval(api, 'settings-change', pin, (approvalToken) => api.call('secrets.replace', { field: 'clientPkcs12', pkcs12Base64, password: p12Password, approvalToken }));
    finish(r, '.p12');
  };

  const s = status.value;
  return (
    <section className="mgr-section mgr-card" aria-labelledby="mgr-secrets-title">
      <h2 id="mgr-secrets-title">{m('settings.secrets')}</h2>
      {s && <p className="mgr-muted">{m('settings.secretsStorage', { storage: text(splitBilingual(s.storage) ?? { zh: s.storage, en: s.storage }) })}</p>}
      {s?.problem && <p className="mgr-error">{text(s.problem)}</p>}
      {s?.warnings.map((w) => (
        <p key={w.zh} className="mgr-error">
          {text(w)}
        </p>
      ))}
      {s && (
        <dl className="mgr-facts" data-testid="secrets-summary">
          {s.fields.map((f) => (
            <div key={f.field} className="mgr-fact-row">
              <dt>{text(LABELS[f.field])}</dt>
              <dd className={f.state === 'unreadable' ? 'mgr-bad' : undefined}>{text(f.summary)}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="mgr-form">
        <label className="mgr-field">
          {m('settings.secretReplace')}
          <select value={field} onChange={(e) => setField(e.target.value as SecretField)}>
            {SECRET_FIELDS.map((f) => (
              <option key={f} value={f}>
                {text(LABELS[f])}
              </option>
            ))}
          </select>
        </label>
        <label className="mgr-field">
          {m('settings.secretValue')}
          {PEM_FIELDS.includes(field) ? (
            <textarea rows={4} value={value} spellCheck={false} autoComplete="off" onChange={(e) => setValue(e.target.value)} />
          ) : (
            <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
          )}
        </label>
        <label className="mgr-field">
          {m('settings.p12File')}
          <input type="file" accept=".p12,.pfx,application/x-pkcs12" onChange={(e) => setP12(e.target.files?.[0] ?? null)} />
        </label>
        <label className="mgr-field">
          {m('settings.p12Password')}
          <input type="password" autoComplete="off" value={p12Password} onChange={(e) => setP12Password(e.target.value)} />
        </label>
        <PinInput value={pin} onChange={setPin} />
        <div className="mgr-actions">
          <button type="button" onClick={() => void replace()} disabled={value.length === 0}>
            {m('settings.secretReplace')} {text(LABELS[field])}
          </button>
          <button type="button" onClick={() => void uploadP12()} disabled={!p12}>
            {m('settings.p12Upload')}
          </button>
        </div>
        <Feedback error={error ?? status.error} ok={ok} />
      </div>
    </section>
  );
}
