/**
 * What the cashier end-to-end tests run against: the built web host in sandbox mode, a real serial scanner (a
 * socat pty pair: the app opens one end, the test "scans" into the other), the TCP printer emulator, and the
 * embedded WeChat Pay sandbox's own endpoints (the QR customer, fault switches, the ledger). Everything started
 * here is stopped by PID in `stop()`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { expect, type Locator, type Page } from 'playwright/test';
import { SerialPort } from 'serialport';
import { decodeEscPos, type DecodedStream } from '../helpers/escpos-decoder';
import { PrinterEmulator } from '../helpers/printer-emulator';
import { startSocatPair, type SocatPair } from '../helpers/socat';
import { startWebHostProcess, type WebHostProcess } from '../helpers/web-host-process';

export const SCREENSHOT_DIR = 'test-results/screenshots';

export interface SandboxEndpoint {
  url: string;
  caCertPem: string;
}

export interface CounterRig {
  host: WebHostProcess;
  scanner: SocatPair;
  printer: PrinterEmulator;
  sandbox: SandboxEndpoint;
  /** Writes a code and CR into the scanner's end of the pty pair, as a serial scanner does. */
  scanSerial(code: string): Promise<void>;
  /** Writes raw text into the scanner's end (e.g. a code, then its suffix byte separately). */
  writeScanner(text: string): Promise<void>;
  /** The sandbox's customer scans and pays a native QR's code_url. */
  customerPay(codeUrl: string): Promise<void>;
  addFault(spec: Record<string, unknown>): Promise<void>;
  listOrders(): Promise<{ outTradeNo: string; codeUrl: string | null; tradeState: string; totalFen: number }[]>;
  /** The sandbox's refunds as its ledger holds them now. */
  listRefunds(): Promise<{ outRefundNo: string; outTradeNo: string; refundFen: number; status: string }[]>;
  /** Everything the printer received so far, decoded (throws on any byte sequence the decoder does not know). */
  printed(): DecodedStream;
  /** Drawer pulses received so far (0 while a job is still arriving and does not decode yet). */
  pulseCount(): number;
  /** Waits until a whole job (text, then the cut) containing `text` has been printed. */
  waitForPrinted(text: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The last 8 digits of a sandbox test code must be unique per code: every payment code is single use. */
let codeCounter = Date.now() % 1_000_000;

/**
 * A sandbox test-wallet payment code: `13 WW SS 0000 xxxxxxxx` (see electron/sandbox/README.md): WW picks the
 * wallet (01 instant, 02 password then pay after SS seconds, 03 password never, 04 not enough money...).
 */
export function walletCode(wallet: '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08', seconds = 0): string {
  codeCounter = (codeCounter + 1) % 100_000_000;
  return `13${wallet}${String(seconds).padStart(2, '0')}0000${String(codeCounter).padStart(8, '0')}`;
}

function readSandboxEndpoint(dataDir: string): SandboxEndpoint | null {
  const log = join(dataDir, 'logs', 'app.log');
  const identity = join(dataDir, 'sandbox', 'identity.json');
  if (!existsSync(log) || !existsSync(identity)) return null;
  const line = readFileSync(log, 'utf8')
    .split('\n')
    .find((l) => l.includes('using the embedded sandbox'));
  if (!line) return null;
  const url = (JSON.parse(line) as { url?: string }).url;
  const caCertPem = (JSON.parse(readFileSync(identity, 'utf8')) as { caCertPem?: string }).caCertPem;
  return url && caCertPem ? { url, caCertPem } : null;
}

function sandboxCall(sandbox: SandboxEndpoint, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpsRequest(
      new URL(path, sandbox.url),
      { method, ca: sandbox.caCertPem, agent: false, headers: payload ? { 'Content-Type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function openDevice(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  port.on('error', () => {});
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return port;
}

/**
 * `sharedSandbox`: the counter plays WeChat with a sandbox the test started (its args name it: --wechat-credentials
 * ...), shared with other counters; without it the counter's embedded sandbox, found through the app's log.
 */
export async function startCounterRig(extraArgs: string[] = [], sharedSandbox?: SandboxEndpoint): Promise<CounterRig> {
  const scanner = await startSocatPair();
  const printer = await PrinterEmulator.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-cashier-e2e-'));
  let host: WebHostProcess;
  try {
    host = await startWebHostProcess(['--sandbox', '--scanner', scanner.pathA, '--printer', printer.uri, ...extraArgs], dataDir);
  } catch (error) {
    await printer.stop();
    await scanner.stop();
    throw error;
  }
  // The app's log is written off the payment path (pino, an asynchronous stream): the line naming the sandbox may
  // reach the file a moment after the ready line, so look for it for a few seconds.
  let sandbox = sharedSandbox ?? readSandboxEndpoint(dataDir);
  for (let waited = 0; !sandbox && waited < 10_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    sandbox = readSandboxEndpoint(dataDir);
  }
  if (!sandbox) {
    await host.stop();
    await printer.stop();
    await scanner.stop();
    throw new Error('the web host did not log the embedded sandbox URL');
  }
  const device = await openDevice(scanner.pathB);
  const writeDevice = async (text: string): Promise<void> => {
    await new Promise<void>((resolve, reject) => device.write(text, (error) => (error ? reject(error) : resolve())));
    await new Promise<void>((resolve, reject) => device.drain((error) => (error ? reject(error) : resolve())));
  };

  /** Whether a complete job (its text, then a cut) containing `text` has arrived. */
  const printedWhole = (text: string): boolean => {
    try {
      const events = decodeEscPos(printer.received()).events;
      const at = events.findLastIndex((e) => e.type === 'line' && e.line.text.includes(text));
      return at >= 0 && events.slice(at).some((e) => e.type === 'cut');
    } catch {
      return false; // a job still arriving does not decode yet
    }
  };

  return {
    host,
    scanner,
    printer,
    sandbox,
    scanSerial: (code) => writeDevice(`${code}\r`),
    writeScanner: (text) => writeDevice(text),
    customerPay: async (codeUrl) => {
      const answer = await sandboxCall(sandbox, 'POST', '/sandbox/customer/pay', { code_url: codeUrl });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    },
    addFault: async (spec) => {
      const answer = await sandboxCall(sandbox, 'POST', '/sandbox/admin/faults', spec);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    },
    listOrders: async () => {
      const answer = await sandboxCall(sandbox, 'GET', '/sandbox/admin/orders');
      return (answer.json as { orders: { outTradeNo: string; codeUrl: string | null; tradeState: string; totalFen: number }[] }).orders;
    },
    listRefunds: async () => {
      const answer = await sandboxCall(sandbox, 'GET', '/sandbox/admin/refunds');
      return (answer.json as { refunds: { outRefundNo: string; outTradeNo: string; refundFen: number; status: string }[] }).refunds;
    },
    printed: () => decodeEscPos(printer.received()),
    pulseCount: () => {
      try {
        return decodeEscPos(printer.received()).pulses.length;
      } catch {
        return 0;
      }
    },
    waitForPrinted: async (text, timeoutMs = 15_000) => {
      await expect.poll(() => printedWhole(text), { timeout: timeoutMs, message: `a printed job containing ${text}, cut` }).toBe(true);
    },
    stop: async () => {
      await new Promise<void>((resolve) => (device.isOpen ? device.close(() => resolve()) : resolve()));
      await host.stop();
      await printer.stop();
      await scanner.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in at the cashier page by keys only, the way a cashier does; when no shift is open on the terminal the
 * 开班 screen asks for the opening float, and it is typed (￥500 unless told) and confirmed with Enter.
 */
export async function signIn(page: Page, pin = '1111', openingFloat = '500'): Promise<void> {
  await expect(page.getByRole('heading', { name: '收银员登录' })).toBeVisible();
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
  await openShiftIfAsked(page, openingFloat);
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

/** After signing in (either language): opens a shift with `openingFloat` by keys if the 开班 screen shows, else nothing. */
export async function openShiftIfAsked(page: Page, openingFloat = '500'): Promise<void> {
  const openShift = page.getByRole('heading', { name: /^(开班|Open shift)$/ });
  const counter = page.getByRole('navigation', { name: /^(功能键|Function keys)$/ });
  await expect(openShift.or(counter)).toBeVisible();
  if (!(await openShift.isVisible())) return;
  await page.keyboard.type(openingFloat);
  await page.keyboard.press('Enter');
  await expect(counter).toBeVisible();
}

/**
 * Types a keyboard-wedge scan: the characters fast, then Enter, the way a USB scanner "types" (Playwright types
 * without delay, well under the detector's 35 ms between keys).
 */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

/** Screenshots are kept as artifacts under test-results/screenshots/. */
export async function shot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await target.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The containers of a window whose content must fit: none may be wider than it is shown (no sideways scroll). */
export async function overflowingContainers(page: Page, selectors: readonly string[]): Promise<string[]> {
  return page.evaluate((list) => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push(`document ${doc.scrollWidth} > ${doc.clientWidth}`);
    if (doc.scrollHeight > doc.clientHeight) problems.push(`document height ${doc.scrollHeight} > ${doc.clientHeight}`);
    for (const selector of list) {
      document.querySelectorAll(selector).forEach((element, i) => {
        if (element.scrollWidth > element.clientWidth + 1) problems.push(`${selector}[${i}] ${element.scrollWidth} > ${element.clientWidth}`);
      });
    }
    return problems;
  }, selectors);
}

/** Decodes the QR shown in an <img> (from a screenshot of it, as a phone camera would see it). */
export async function decodeQrImage(image: Locator): Promise<string | null> {
  const png = PNG.sync.read(await image.screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return found?.data ?? null;
}
