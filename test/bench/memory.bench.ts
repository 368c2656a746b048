import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startWebHostProcess, type WebHostProcess } from '../helpers/web-host-process';
import { benchDir, repoRoot } from './bench-env';
import type { BenchRow, Benchmark } from './stats';

// Memory (issue 9, with (6)): resident size of the web host process (`node dist/electron/serve.mjs --sandbox`)
// right after its ready line and after SALES cash sales made through the contract over its WebSocket, as the
// cashier window makes them (sale.checkout → payment.cash → sale.finish), with one open shift. RSS is read from
// /proc/<pid>/status (VmRSS); no floor: the "start" row is the reference.

const SALES = Number(process.env.BENCH_MEMORY_SALES ?? 10_000);

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  const kib = Number(line?.replace(/\D+/g, '') ?? Number.NaN);
  return kib / 1024;
}

interface Caller {
  call<T>(method: string, request: unknown): Promise<T>;
  close(): void;
}

async function connectCashier(host: WebHostProcess): Promise<Caller> {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ws?token=${host.tokens.cashier}`, { origin: host.origin });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as { type?: string; id?: number; result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
    if (message.type !== 'result' || message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (!waiter || !message.result) return;
    if (message.result.ok) waiter.resolve(message.result.value);
    else waiter.reject(new Error(`${message.result.error?.code ?? '?'} ${message.result.error?.message ?? ''}`));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  return {
    call: <T>(method: string, request: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: (v) => resolve(v as T), reject });
        ws.send(JSON.stringify({ type: 'call', id, method, request }));
      }),
    close: () => ws.close(),
  };
}

export const benchmark: Benchmark = {
  id: 'memory',
  title: `Memory: web host RSS at start and after ${SALES} cash sales over the WebSocket`,
  async run(): Promise<BenchRow[]> {
    execFileSync(process.execPath, [join('scripts', 'build.mjs'), '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
    const scratch = benchDir('memory');
    const host = await startWebHostProcess(['--sandbox'], scratch.dir);
    let cashier: Caller | undefined;
    try {
      // Let start-up work (sandbox keys, first probe) settle before the reference reading.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const startRss = rssMiB(host.pid);
      cashier = await connectCashier(host);
      await cashier.call('auth.signIn', { pin: '1111' });
      if ((await cashier.call<unknown>('shift.current', {})) === null) await cashier.call('shift.open', { openingFloatFen: 0 });
      const samples: { sales: number; rssMiB: number }[] = [{ sales: 0, rssMiB: startRss }];
      let peak = startRss;
      for (let i = 1; i <= SALES; i++) {
        const sale = await cashier.call<{ id: number }>('sale.checkout', { lines: [{ name: '可乐 330ml', unitFen: 350, quantity: 2 }, { name: '面包', unitFen: 550, quantity: 1 }] });
        await cashier.call('payment.cash', { saleId: sale.id, tenderedFen: 2000 });
        await cashier.call('sale.finish', { saleId: sale.id });
        if (i % 1000 === 0) {
          const rss = rssMiB(host.pid);
          peak = Math.max(peak, rss);
          samples.push({ sales: i, rssMiB: rss });
        }
      }
      const endRss = rssMiB(host.pid);
      const note = `RSS every 1000 sales: ${samples.map((s) => `${s.sales}: ${s.rssMiB.toFixed(0)}`).join(', ')} MiB; peak ${peak.toFixed(0)} MiB`;
      return [
        { id: '6.memory-start', name: 'web host RSS after its ready line (+2 s)', unit: 'MiB', median: startRss, p99: Number.NaN, samples: 1, met: null },
        { id: '6.memory-after-sales', name: `web host RSS after ${SALES} cash sales over the WebSocket`, unit: 'MiB', median: endRss, p99: Number.NaN, samples: 1, met: null, note },
      ];
    } finally {
      cashier?.close();
      await host.stop();
      scratch.dispose();
    }
  },
};
