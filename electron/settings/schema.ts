import { z } from 'zod';
import { DEFAULT_STORE_TIME_ZONE, isTimeZone } from '../../shared/clock';
import { LANGUAGES } from '../../shared/i18n';
import { DEFAULT_SCANNER_SETTINGS, scannerSettingsSchema } from '../../shared/scan';
import { securitySettingsSchema } from '../security/security-settings';

/**
 * Everything a store configures that is not a secret. Secrets (API keys, private keys, client certificates)
 * live in the encrypted secret store, never in this file. Every field has a default so a new install works at
 * once against the embedded sandbox.
 */
export const settingsSchema = z.preprocess(
  inheritWindowLanguages,
  z.object({
    storeName: z.string().trim().min(1, '店名不能为空').max(40).default('演示商店'),
    storeAddress: z.string().trim().max(80).default(''),
    /** Printed at the end of every sale receipt instead of the thank-you line (set at the hub for enrolled counters). */
    receiptFooter: z.string().trim().max(200).default(''),
    /** Printed on receipts and part of every out_trade_no: short and alphanumeric. */
    terminalId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,6}$/, '终端号为 1–6 位字母或数字 / 1–6 letters or digits')
      .default('T01'),
    /**
     * Language is per window (issue 18). `language`: the cashier window's before anyone signs in, and for a person
     * who never chose (each person's choice is kept with their staff record, migration 0017).
     */
    language: z.enum(LANGUAGES).default('zh-CN'),
    /** The manager window's own language (its F12 / language button, or these settings). */
    managerLanguage: z.enum(LANGUAGES).default('zh-CN'),
    /** What the customer display speaks (the customer's, not the cashier's). */
    displayLanguage: z.enum(LANGUAGES).default('zh-CN'),
    /** Printed receipts, refund slips, X/Z reports and the test page. */
    receiptLanguage: z.enum(LANGUAGES).default('zh-CN'),
    /** Every screen, slip and report shows times in this zone, whatever the machine's clock zone (IANA name). */
    timeZone: z.string().trim().refine(isTimeZone, '未知的时区名称（例如 Asia/Shanghai） / Unknown time zone name (e.g. Asia/Shanghai)').default(DEFAULT_STORE_TIME_ZONE),
    wechat: z
      .object({
        /** 'sandbox' runs the embedded WeChat Pay emulator; 'live' uses the merchant's credentials. */
        mode: z.enum(['sandbox', 'live']).default('sandbox'),
        apiVersion: z.enum(['v2', 'v3']).default('v3'),
        baseUrl: z.url().default('https://api.mch.weixin.qq.com'),
        mchid: z.string().regex(/^\d{0,16}$/).default(''),
        appid: z.string().regex(/^(wx[0-9a-f]{16})?$/, 'appid 形如 wx 加 16 位十六进制').default(''),
        v2SignType: z.enum(['MD5', 'HMAC-SHA256']).default('HMAC-SHA256'),
        /**
         * 'direct': mchid/appid are the store's own merchant account. 'partner' (服务商模式): mchid/appid (and the
         * secrets) are the service provider's, and the store is the sub-merchant subMchid (sub_mchid / sub_mch_id).
         */
        merchantMode: z.enum(['direct', 'partner']).default('direct'),
        subMchid: z.string().regex(/^(\d{8,16})?$/, '特约商户号为 8–16 位数字 / sub-merchant id: 8–16 digits').default(''),
        subAppid: z.string().regex(/^(wx[0-9a-f]{16})?$/, 'appid 形如 wx 加 16 位十六进制').default(''),
        /** Payments are made with profit sharing on (分账): the head office splits them afterwards. */
        profitSharing: z.boolean().default(false),
        /**
         * Sandbox mode only: a sandbox shared by the store's counters (`npm run sandbox -- --credentials-out FILE`)
         * instead of each counter's embedded one, so one counter can refund another's orders. Empty = embedded.
         * The web host's --wechat-credentials / --wechat-ca / --wechat-base-url override these for one run.
         */
        sharedSandbox: z
          .object({
            credentialsFile: z.string().trim().max(500).default(''),
            caFile: z.string().trim().max(500).default(''),
            url: z.union([z.literal(''), z.url()]).default(''),
          })
          .prefault({}),
      })
      .prefault({}),
    /** The serial scanner (a keyboard-wedge scanner needs no settings). Disabled until a port is chosen. */
    scanner: scannerSettingsSchema.prefault(DEFAULT_SCANNER_SETTINGS),
    printer: z
      .object({
        /** serial:/dev/ttyUSB0?baud=9600, tcp://host:9100, file:/path, os:<printer name>, or empty for none. */
        uri: z.string().max(300).default(''),
        paperWidthMm: z.union([z.literal(58), z.literal(80)]).default(80),
        autoPrint: z.boolean().default(true),
      })
      .prefault({}),
    voice: z.object({ enabled: z.boolean().default(true) }).prefault({}),
    /**
     * Days a fact stays in this counter's database after the hub acknowledged it (it is the hub's record from then
     * on; kept a while for support). Facts the hub has not acknowledged are never deleted, however old.
     */
    hubFactRetentionDays: z.number().int().min(1).max(3650).default(30),
    /** PIN lockout, approvals, risk limits, alerts and backups (electron/security/security-settings.ts). */
    security: securitySettingsSchema.prefault({}),
  })
  .strict(),
);

/**
 * A settings file written before languages were per window has one `language` for everything: each window's
 * language starts as it was (an English store stays English on every screen and slip), until set apart.
 */
function inheritWindowLanguages(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const s = input as Record<string, unknown>;
  if (s.language === undefined) return input;
  return { managerLanguage: s.language, displayLanguage: s.language, receiptLanguage: s.language, ...s };
}

export type Settings = z.output<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
