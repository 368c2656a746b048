import type { Database } from 'better-sqlite3';
import { createPaymentService } from '../../electron/payments/service';
import { FakeWechat } from '../helpers/fake-wechat-client';
import { benchDir, openAppDatabase, silentLogger, systemClock } from './bench-env';
import { interleave, nowNs, throughputRow, type Benchmark } from './stats';

// (3) Durable sale recording: cash sales per second through the payment service on a real SQLite file with the
// app's pragmas (WAL, synchronous=FULL), side by side with the floor: raw better-sqlite3 writing the same rows
// (receipt sequence, sale, two lines, cash tender) with the same pragmas in one transaction per sale.

const LINES = [
  { name: '可乐 330ml', unitFen: 350, quantity: 2 },
  { name: '全麦面包', unitFen: 550, quantity: 1 },
];
const TOTAL = 1250;
const BATCH = 10;
const ROUNDS = 60;

/** The same rows by hand. `commits` 1: all in one transaction; 2: split where the service splits them. */
function rawSaleWriter(db: Database, terminal: string, commits: 1 | 2): () => void {
  db.pragma('secure_delete = ON');
  const nextReceipt = db.prepare(
    `INSERT INTO sequences (name, next_value) VALUES ('receipt:${terminal}', 2) ON CONFLICT (name) DO UPDATE SET next_value = next_value + 1 RETURNING next_value - 1 AS receipt_no`,
  );
  const insertSale = db.prepare(
    `INSERT INTO sales (terminal_id, receipt_no, cashier_id, state, description, total_fen, created_at, paid_at) VALUES ('${terminal}', ?, 'c1', ?, ?, ?, ?, ?)`,
  );
  const insertLine = db.prepare('INSERT INTO sale_lines (sale_id, line_no, name, unit_fen, quantity, amount_fen) VALUES (?, ?, ?, ?, ?, ?)');
  const insertTender = db.prepare(
    "INSERT INTO tenders (sale_id, kind, amount_fen, state, tendered_fen, change_fen, created_at, settled_at) VALUES (?, 'cash', ?, 'paid', 2000, 750, ?, ?)",
  );
  const markPaid = db.prepare("UPDATE sales SET state = 'paid', paid_at = ? WHERE id = ?");
  const open = (paidNow: number | null): number => {
    const now = Date.now();
    const { receipt_no: receiptNo } = nextReceipt.get() as { receipt_no: number };
    const saleId = Number(insertSale.run(receiptNo, paidNow === null ? 'open' : 'paid', `收银小票 ${receiptNo}`, TOTAL, now, paidNow).lastInsertRowid);
    LINES.forEach((line, i) => insertLine.run(saleId, i + 1, line.name, line.unitFen, line.quantity, line.unitFen * line.quantity));
    return saleId;
  };
  const pay = (saleId: number, split: boolean): void => {
    const now = Date.now();
    insertTender.run(saleId, TOTAL, now, now);
    if (split) markPaid.run(now, saleId);
  };
  const whole = db.transaction(() => pay(open(Date.now()), false));
  const openTx = db.transaction(() => open(null));
  const payTx = db.transaction((saleId: number) => pay(saleId, true));
  return commits === 1 ? () => whole() : () => payTx(openTx());
}

function timed(op: () => void): () => number {
  return () => {
    const start = nowNs();
    for (let i = 0; i < BATCH; i++) op();
    return (nowNs() - start) / BATCH;
  };
}

export const benchmark: Benchmark = {
  id: 'sales',
  title: '(3) Durable cash sales per second vs raw better-sqlite3 inserts of the same rows',
  async run() {
    const scratch = benchDir('sales');
    const appDb = openAppDatabase(scratch.dir, 'app.db');
    const twoCallDb = openAppDatabase(scratch.dir, 'app-two-calls.db');
    const rawDb = openAppDatabase(scratch.dir, 'raw.db');
    const service = createPaymentService({ db: appDb, client: new FakeWechat(systemClock).client(), clock: systemClock, logger: silentLogger, terminalId: 'T01' });
    const twoCalls = createPaymentService({ db: twoCallDb, client: new FakeWechat(systemClock).client(), clock: systemClock, logger: silentLogger, terminalId: 'T01' });
    try {
      // The counter's cash key on a cart (payment.cashSale): sale, lines, cash and the counter's sale in one commit.
      const cashSale = (): void => {
        service.cashSale({ cashierId: 'c1', lines: LINES }, 2000, { onCounter: true });
      };
      // A sale checked out first (e.g. a WeChat attempt given up, then cash): two calls, two commits.
      const checkoutThenCash = (): void => {
        const sale = twoCalls.createSale({ cashierId: 'c1', lines: LINES });
        twoCalls.payCash(sale.id, 2000);
      };
      const samples = interleave(
        { ours: timed(cashSale), ours2: timed(checkoutThenCash), floor: timed(rawSaleWriter(rawDb, 'RAW1', 1)), floor2: timed(rawSaleWriter(rawDb, 'RAW2', 2)) },
        ROUNDS,
        5,
      );
      const count = (db: Database, where: string): number =>
        (db.prepare(`SELECT count(*) AS n FROM tenders JOIN sales ON sales.id = tenders.sale_id WHERE tenders.state = 'paid' AND sales.state = 'paid' AND ${where}`).get() as { n: number }).n;
      const rawCount = count(rawDb, "terminal_id = 'RAW1'");
      if (count(appDb, '1') !== rawCount || count(twoCallDb, '1') !== rawCount || count(rawDb, "terminal_id = 'RAW2'") !== rawCount) {
        throw new Error('the sides recorded different numbers of sales');
      }
      const oneCommit = throughputRow(
        { id: '3.cash-sales', name: 'cash sale recorded durably (payment.cashSale: one commit)', target: 'ratio ≥ 0.7' },
        samples.ours ?? [],
        'same rows, 1 tx/sale',
        samples.floor ?? [],
      );
      const twoCommits = throughputRow(
        { id: '3.cash-sales-2tx', name: 'cash after a checkout (createSale + payCash: two commits), vs the same two commits' },
        samples.ours2 ?? [],
        'same rows, 2 tx/sale',
        samples.floor2 ?? [],
      );
      return [{ ...oneCommit, met: (oneCommit.ratio ?? 0) >= 0.7 }, { ...twoCommits, met: null }];
    } finally {
      await service.stop();
      await twoCalls.stop();
      twoCallDb.close();
      appDb.close();
      rawDb.close();
      scratch.dispose();
    }
  },
};
