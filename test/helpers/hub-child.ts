/**
 * The hub as its own process for the crash and outage tests (bundled with test/helpers/killable-child.ts and
 * SIGKILLed at random moments): `startHub` from electron/hub/app.ts, exactly what `npm run hub` starts, but on the
 * accelerated clock the counters and the sandbox share (signed requests carry the counter's time, and the hub
 * refuses a timestamp more than 5 minutes off its own), on a fixed port (the counters keep the hub's URL).
 * Prints `ready {"url", "admin"}` on stdout.
 */
import { readFileSync } from 'node:fs';
import { startHub } from '../../electron/hub/app';
import { acceleratedClock, type AcceleratedClockParams } from './accelerated-clock';

export interface HubChildConfig {
  dataDir: string;
  port: number;
  databaseUrl?: string;
  clock: AcceleratedClockParams;
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as HubChildConfig;
  const hub = await startHub({ dataDir: config.dataDir, port: config.port, databaseUrl: config.databaseUrl, clock: acceleratedClock(config.clock) });
  process.stdout.write(`ready ${JSON.stringify({ url: hub.url, admin: hub.adminUrl })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`hub child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
