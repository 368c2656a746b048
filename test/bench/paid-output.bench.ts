import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { connect as tcpConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import type { App } from '../../electron/app';
import { startWebHost, type WebHost } from '../../electron/host/web-host';
import { SANDBOX_ANSWER_CHANNEL, type SandboxAnswerTiming } from '../../electron/sandbox/server';
import type { SaleView } from '../../shared/payments';
import { decodeEscPos } from '../helpers/escpos-decoder';
import { PrinterEmulator } from '../helpers/printer-emulator';
import { call, instantWalletCode, signInWithShift, startBenchApp } from './app-under-bench';
import { benchDir, repoRoot, silentLogger } from './bench-env';
import { latencyRow, nowNs, type Benchmark, type BenchRow } from './stats';

// (2) Result to screen and paper: from the sandbox's SUCCESS answer to a micropay (its last byte handed to the
// socket, seen on the sandbox's own timing channel) to
//   (a) the customer display's WebSocket client receiving `display.state` {kind:'paid'} from the web host (the
//       whole app and the web host in this process, the display connected as a browser's display window would be;
//       React's paint after that is not included), and
//   (b) the receipt's last byte (its cut) reaching the TCP printer emulator (the app's real print queue, auto print).
// Floors: (a) a bare `ws` server pushing one message to a connected client; (b) the same number of bytes written
// on an open loopback TCP connection to the printer emulator, until its last byte arrives.

const ROUNDS = 30;
const WARMUP = 3;
/** Under the app's own micropay rate limit (5/s, burst 10): the figure is the app's latency, not the limiter's wait. */
const PACE_MS = 250;
const MICROPAY = /\/pay\/micropay|\/v3\/pay\/transactions\/codepay/;

interface DisplayClient {
  nextPaid(): Promise<number>;
  close(): void;
}

async function openDisplay(host: WebHost): Promise<DisplayClient> {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ws?token=${host.tokens.display}`, { origin: host.origin });
  let waiting: ((at: number) => void) | null = null;
  ws.on('message', (data) => {
    const at = nowNs();
    const message = JSON.parse((data as Buffer).toString('utf8')) as { type?: string; event?: string; payload?: { kind?: string } };
    if (waiting && message.type === 'event' && message.event === 'display.state' && message.payload?.kind === 'paid') {
      const resolve = waiting;
      waiting = null;
      resolve(at);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    nextPaid: () =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the display saw no "paid" within 5 s')), 5000);
        waiting = (at) => {
          clearTimeout(timer);
          resolve(at);
        };
      }),
    close: () => ws.close(),
  };
}

/** When the emulator has a whole receipt (through its cut); the time is taken in its data handler. */
function receiptArrival(printer: PrinterEmulator): Promise<{ at: number; bytes: number }> {
  let at = 0;
  let bytes = 0;
  return printer
    .waitFor((received) => {
      if (at !== 0) return true;
      if (decodeEscPos(received).cuts.length === 0) return false;
      at = nowNs();
      bytes = received.length;
      return true;
    }, 5000)
    .then(() => ({ at, bytes }));
}

/** The next 200 answer to a micropay, as the sandbox timed it on its side. */
function successAnswers(): { next(): Promise<number>; close(): void } {
  let resolveNext: ((ns: number) => void) | null = null;
  const onAnswer = (message: unknown): void => {
    const timing = message as SandboxAnswerTiming;
    if (!MICROPAY.test(timing.path) || timing.status !== 200) return;
    resolveNext?.(timing.answeredNs);
    resolveNext = null;
  };
  subscribe(SANDBOX_ANSWER_CHANNEL, onAnswer);
  return {
    next: () => new Promise<number>((resolve) => (resolveNext = resolve)),
    close: () => unsubscribe(SANDBOX_ANSWER_CHANNEL, onAnswer),
  };
}

function salePaid(app: App): Promise<SaleView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sale not paid within 5 s')), 5000);
    const off = app.payments.on('sale.paid', ({ sale }) => {
      clearTimeout(timer);
      off();
      resolve(sale);
    });
  });
}

async function floors(printer: PrinterEmulator): Promise<{ display(): Promise<number>; paper(bytes: number): Promise<number>; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const address = wss.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  await new Promise<void>((resolve) => client.once('open', () => resolve()));
  const server = await serverSide;
  const socket: Socket = tcpConnect(printer.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const payload = JSON.stringify({ type: 'event', event: 'display.state', payload: { kind: 'paid', sandbox: true, amountFen: 1250 } });
  return {
    display: () =>
      new Promise<number>((resolve) => {
        client.once('message', () => resolve(nowNs() - start));
        const start = nowNs();
        server.send(payload);
      }),
    async paper(bytes) {
      printer.clear();
      const start = nowNs();
      const arrived = printer.waitFor((received) => received.length >= bytes, 5000);
      // Text without ESC/POS commands (no byte 0x10: no status request to answer).
      socket.write(Buffer.alloc(bytes, 0x41));
      await arrived;
      return nowNs() - start;
    },
    async close() {
      socket.destroy();
      client.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export const benchmark: Benchmark = {
  id: 'paid-output',
  title: '(2) Result to screen and paper: sandbox SUCCESS → display "paid" and the receipt at the printer',
  async run(): Promise<BenchRow[]> {
    const scratch = benchDir('paid');
    const printer = await PrinterEmulator.start();
    const answers = successAnswers();
    let app: App | undefined;
    let host: WebHost | undefined;
    let display: DisplayClient | undefined;
    const floor = await floors(printer);
    try {
      app = await startBenchApp(scratch.dir, undefined, printer.uri);
      const running = app;
      host = await startWebHost({
        dispatch: running.dispatch,
        events: running.events,
        logger: silentLogger,
        rendererDir: join(repoRoot, 'dist', 'renderer'),
        onDisconnect: (id) => running.disconnect(id),
      });
      display = await openDisplay(host);
      await signInWithShift(running);
      const toDisplay: number[] = [];
      const toPaper: number[] = [];
      const displayFloor: number[] = [];
      const paperFloor: number[] = [];
      const base = (Date.now() % 1e6) * 100;
      for (let round = 0; round < ROUNDS + WARMUP; round++) {
        const paced = new Promise((resolve) => setTimeout(resolve, PACE_MS));
        printer.clear();
        const sale = await call<SaleView>(running, 'sale.checkout', { lines: [], amountFen: 1250 });
        const answered = answers.next();
        const shown = display.nextPaid();
        const printed = receiptArrival(printer);
        const paid = salePaid(running);
        await call(running, 'payment.submitCode', { saleId: sale.id, code: instantWalletCode(base + round) });
        const [answeredNs, shownNs, receipt] = await Promise.all([answered, shown, printed, paid]);
        await call(running, 'sale.finish', { saleId: sale.id });
        await paced;
        const d = await floor.display();
        const p = await floor.paper(receipt.bytes);
        if (round < WARMUP) continue;
        toDisplay.push(shownNs - answeredNs);
        toPaper.push(receipt.at - answeredNs);
        displayFloor.push(d);
        paperFloor.push(p);
      }
      const target = 'p99 < 50 ms';
      const a = latencyRow({ id: '2.paid-to-display', name: 'sandbox SUCCESS → display.state "paid" at the display’s WebSocket', target }, toDisplay, 'one ws message to a connected client', displayFloor);
      const b = latencyRow({ id: '2.paid-to-paper', name: 'sandbox SUCCESS → receipt’s last byte at the printer emulator', target }, toPaper, 'same bytes on an open TCP socket', paperFloor);
      return [
        { ...a, met: a.p99 < 50 },
        { ...b, met: b.p99 < 50 },
      ];
    } finally {
      display?.close();
      await host?.close();
      await app?.close();
      answers.close();
      await floor.close();
      await printer.stop();
      scratch.dispose();
    }
  },
};
