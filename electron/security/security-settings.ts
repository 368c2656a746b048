import { z } from 'zod';

const minutes = (n: number): number => n * 60 * 1000;
const fenLimit = z.number().int().min(0).max(100_000_000);

/**
 * The security feature's settings, meant to live under `security` in electron/settings/schema.ts. Every field has
 * a default. A money limit of 0 means “no limit”.
 */
export const securitySettingsSchema = z
  .object({
    lockout: z
      .object({
        /** Wrong PINs in a row before that user is locked. */
        maxAttempts: z.number().int().min(3).max(20).default(5),
        lockMinutes: z.number().int().min(1).max(24 * 60).default(15),
        /** From this many wrong PINs at the terminal on, each next PIN waits (1 s, 2 s, 4 s … doubling). */
        backoffAfter: z.number().int().min(1).max(20).default(3),
        /** The longest such wait: also the longest a manager may have to wait during a guessing attack. */
        maxBackoffSeconds: z.number().int().min(1).max(15 * 60).default(60),
      })
      .prefault({}),
    /** How long a manager's approval may wait before it is used. */
    approvalTtlSeconds: z.number().int().min(15).max(15 * 60).default(120),
    limits: z
      .object({
        maxSaleFen: fenLimit.default(500_000),
        maxRefundFen: fenLimit.default(50_000),
        /** Refunds one cashier may start per Beijing day without an override; 0: no limit. */
        maxRefundsPerCashierPerDay: z.number().int().min(0).max(1000).default(5),
        /** Cash in the drawer above which the cashier is asked for a cash drop (投库). */
        cashDrawerCapFen: fenLimit.default(200_000),
        /**
         * One cash-out above this needs a manager's PIN (0: no amount limit). Taking out more than the drawer should
         * hold needs it whatever this is. ￥500 covers petty expenses; a cash drop (投库) is a manager's job.
         */
        maxCashOutFen: fenLimit.default(50_000),
      })
      .prefault({}),
    alerts: z
      .object({
        failedScans: z.number().int().min(2).max(100).default(3),
        failedScansWindowMinutes: z.number().int().min(1).max(120).default(5),
        refunds: z.number().int().min(2).max(100).default(3),
        refundsWindowMinutes: z.number().int().min(1).max(24 * 60).default(30),
      })
      .prefault({}),
    backup: z
      .object({
        /** Empty: <data dir>/backups. A second disk or a USB stick is better. */
        folder: z.string().max(300).default(''),
        keep: z.number().int().min(1).max(365).default(14),
      })
      .prefault({}),
  })
  .strict();

export type SecuritySettings = z.output<typeof securitySettingsSchema>;

export function defaultSecuritySettings(): SecuritySettings {
  return securitySettingsSchema.parse({});
}

export const lockMs = (s: SecuritySettings): number => minutes(s.lockout.lockMinutes);
export const alertWindows = (s: SecuritySettings): { failedScansMs: number; refundsMs: number } => ({
  failedScansMs: minutes(s.alerts.failedScansWindowMinutes),
  refundsMs: minutes(s.alerts.refundsWindowMinutes),
});
