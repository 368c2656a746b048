/**
 * The hub as its own process for the settlement kill test (bundled with test/helpers/killable-child.ts and SIGKILLed
 * at random moments): `startHub` from electron/hub/app.ts on the data dir (and database) the parent prepared, with
 * the sandbox's merchant given at start and the clock the parent's sandbox shares, running the settlement job
 * back to back until killed. Prints `ready` on stdout once the hub is up.
 */
import { readFileSync } from 'node:fs';
import { startHub } from '../../electron/hub/app';
import type { HubMerchant } from '../../electron/hub/merchants/directory';
import { acceleratedClock, type AcceleratedClockParams } from './accelerated-clock';

export interface SettlementChildConfig {
  dataDir: string;
  databaseUrl?: string;
  clock: AcceleratedClockParams;
  merchant: HubMerchant;
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as SettlementChildConfig;
  const merchants = { list: () => [config.merchant], credentialsFor: (mchid: string) => (mchid === config.merchant.mchid ? config.merchant : undefined) };
  const hub = await startHub({ dataDir: config.dataDir, port: 0, databaseUrl: config.databaseUrl, clock: acceleratedClock(config.clock), merchants, pagesDir: null });
  process.stdout.write('ready\n');
  for (;;) {
    await hub.jobs.settlement.tick();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`settlement child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
