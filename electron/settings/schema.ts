import { z } from 'zod';
import { LANGUAGES } from '../../shared/i18n';
import { DEFAULT_SCANNER_SETTINGS, scannerSettingsSchema } from '../../shared/scan';
import { securitySettingsSchema } from '../security/security-settings';

/**
 * Everything a store configures that is not a secret. Secrets (API keys, private keys, client certificates)
 * live in the encrypted secret store, never in this file. Every field has a default so a new install works at
 * once against the embedded sandbox.
 */
export const settingsSchema = z
  .object({
    storeName: z.string().trim().min(1, '店名不能为空').max(40).default('演示商店'),
    storeAddress: z.string().trim().max(80).default(''),
    /** Printed at the end of every sale receipt instead of the thank-you line (set at the hub for enrolled counters). */
    receiptFooter: z.string().trim().max(200).default(''),
    /** Printed on receipts and part of every out_trade_no: short and alphanumeric. */
    terminalId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,6}$/, '终端号为 1–6 位字母或数字 / 1–6 letters or digits')
      .default('T01'),
    language: z.enum(LANGUAGES).default('zh-CN'),
    wechat: z
      .object({
        /** 'sandbox' runs the embedded WeChat Pay emulator; 'live' uses the merchant's credentials. */
        mode: z.enum(['sandbox', 'live']).default('sandbox'),
        apiVersion: z.enum(['v2', 'v3']).default('v3'),
        baseUrl: z.url().default('https://api.mch.weixin.qq.com'),
        mchid: z.string().regex(/^\d{0,16}$/).default(''),
        appid: z.string().regex(/^(wx[0-9a-f]{16})?$/, 'appid 形如 wx 加 16 位十六进制').default(''),
        v2SignType: z.enum(['MD5', 'HMAC-SHA256']).default('HMAC-SHA256'),
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
  .strict();

export type Settings = z.output<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
