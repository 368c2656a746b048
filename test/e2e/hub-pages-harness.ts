/**
 * The hub for the head office's page tests: `npm run hub` as a real child process (tsx electron/hub/cli.ts, the
 * ready line on stdout), set up through its setup API, and an admin client that keeps its cookie like a browser.
 * The pages come from dist/renderer (run `node scripts/build.mjs` first, as for every e2e spec).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HUB_ADMIN_PATHS, type StoreView } from '../../shared/hub-admin-api';

export const OWNER = { name: '王老板', password: 'correct horse battery' };

export interface HubProcess {
  url: string;
  dataDir: string;
  admin: HubAdmin;
  /** The first store, made at setup. */
  firstStore: StoreView;
  stop(): Promise<void>;
}

export async function startHubProcess(): Promise<HubProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-e2e-'));
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'electron/hub/cli.ts', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const ready = JSON.parse(await firstLine(child, () => errors)) as { url: string; admin: string | null };
  const admin = new HubAdmin(ready.url);
  const token = new URL(ready.admin ?? 'http://x/').searchParams.get('token') ?? '';
  await admin.expect(200, 'POST', HUB_ADMIN_PATHS.setup, { token, ownerName: OWNER.name, password: OWNER.password, storeName: '一号店' });
  const stores = await admin.expect<StoreView[]>(200, 'GET', HUB_ADMIN_PATHS.stores);
  return { url: ready.url, dataDir, admin, firstStore: stores[0]!, stop: () => stopChild(child) };
}

/** JSON calls to the admin API with the session cookie kept. */
export class HubAdmin {
  private cookie = '';
  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async expect<T = unknown>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(method, path, body);
    if (answer.status !== status) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

function firstLine(child: ChildProcess, errors: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub not ready in 60 s: ${errors()}`)), 60_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}: ${errors()}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
