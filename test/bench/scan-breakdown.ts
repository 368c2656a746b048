/**
 * Where the milliseconds of row 1 (scan → micropay request) go: `npx tsx test/bench/scan-breakdown.ts [rounds]`.
 * Not part of `npm run bench` (it patches two prototypes to time the steps); it prints the median of each step:
 *   scan → data      the suffix byte written to the pty → the app's serial port hands it over (driver, poll thread)
 *   data → commit    the scan handled: sale, attempt, outbox job and its in-flight mark in one durable commit
 *   commit → request signing (v3 RSA), the warm socket's check for a pending close, the request built
 *   request → server the request's bytes reaching the sandbox's HTTP server (loopback TLS)
 * On a shared machine run it under `chrt -f 10` (root) so the other processes' CPU does not land in the figures.
 */
import Database from 'better-sqlite3';
import { subscribe } from 'node:diagnostics_channel';
import { closeSync, openSync, writeSync } from 'node:fs';
import { SerialScanner } from '../../electron/devices/scanner/serial-scanner';
import { startSocatPair } from '../helpers/socat';
import { call, instantWalletCode, signInWithShift, startBenchApp } from './app-under-bench';
import { benchDir } from './bench-env';
import { salePaid, waitForScannerOpen, watchMicropayArrivals } from './scan.bench';
import { nowNs } from './stats';

const ROUNDS = Number(process.argv[2] ?? 40);
const WARMUP = 5;

let dataAt = 0;
let commitAt = 0;
let requestAt = 0;

// The serial scanner's data handler: when the app first sees the bytes.
const scannerProto = SerialScanner.prototype as unknown as { onData: (...args: unknown[]) => void };
const onData = scannerProto.onData;
scannerProto.onData = function (this: unknown, ...args: unknown[]) {
  if (dataAt === 0) dataAt = nowNs();
  return onData.apply(this, args);
};
// The first outermost transaction after the data: the scan's commit.
type TransactionFn = (...args: unknown[]) => unknown;
const dbProto = Database.prototype as unknown as { transaction: (this: { inTransaction: boolean }, fn: TransactionFn) => TransactionFn };
const transaction = dbProto.transaction;
dbProto.transaction = function (fn) {
  const wrapped = transaction.call(this, fn);
  return (...args: unknown[]) => {
    const outermost = !this.inTransaction;
    const result = wrapped(...args);
    if (outermost && dataAt !== 0 && commitAt === 0) commitAt = nowNs();
    return result;
  };
};
subscribe('http.client.request.start', (message: unknown) => {
  const path = (message as { request?: { path?: string } }).request?.path ?? '';
  if (requestAt === 0 && /codepay|micropay/.test(path)) requestAt = nowNs();
});

const scratch = benchDir('scan-breakdown');
const pair = await startSocatPair();
const app = await startBenchApp(scratch.dir, pair.pathA);
const arrivals = watchMicropayArrivals();
const steps: Record<string, number[]> = { 'scan → data': [], 'data → commit': [], 'commit → request': [], 'request → server': [], total: [] };
const fd = openSync(pair.pathB, 'w');
try {
  await waitForScannerOpen(app);
  await signInWithShift(app);
  const base = (Date.now() % 1e6) * 100;
  for (let round = 0; round < ROUNDS + WARMUP; round++) {
    await call(app, 'cart.preview', { lines: [], amountFen: 1250 });
    writeSync(fd, instantWalletCode(base + round));
    const paid = salePaid(app);
    const arrived = arrivals.next();
    dataAt = commitAt = requestAt = 0;
    const start = nowNs();
    writeSync(fd, '\r');
    const at = await arrived;
    const sale = await paid;
    await call(app, 'sale.finish', { saleId: sale.id });
    if (round >= WARMUP) {
      steps['scan → data']?.push(dataAt - start);
      steps['data → commit']?.push(commitAt - dataAt);
      steps['commit → request']?.push(requestAt - commitAt);
      steps['request → server']?.push(at - requestAt);
      steps.total?.push(at - start);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  for (const [step, values] of Object.entries(steps)) {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    console.log(`${step.padEnd(18)} ${(median / 1e6).toFixed(2)} ms`);
  }
} finally {
  closeSync(fd);
  arrivals.close();
  await app.close();
  await pair.stop();
  scratch.dispose();
}
