import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface WebHostProcess {
  urls: { cashier: string; display: string; manager: string };
  origin: string;
  /** Each window's own credential, from its URL: the host decides a connection's role by which one it shows. */
  tokens: { cashier: string; display: string; manager: string };
  /** The one-time first-run setup code from the ready line (present while the install has no owner). */
  setupCode: string | null;
  dataDir: string;
  pid: number;
  stderr: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the built web host (dist/electron/serve.mjs) as a real child process, waits for its ready line and
 * returns the URLs. The test that starts it stops it by PID.
 */
export async function startWebHostProcess(extraArgs: string[] = [], dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-'))): Promise<WebHostProcess> {
  const child = spawn(process.execPath, ['dist/electron/serve.mjs', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const line = await readFirstLine(child, () => errors);
  const { setupCode, ...urls } = JSON.parse(line) as WebHostProcess['urls'] & { setupCode?: string };
  const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? '';
  return {
    urls,
    origin: new URL(urls.cashier).origin,
    tokens: { cashier: tokenOf(urls.cashier), display: tokenOf(urls.display), manager: tokenOf(urls.manager) },
    setupCode: setupCode ?? null,
    dataDir,
    pid: child.pid ?? -1,
    stderr: () => errors,
    stop: () => stopChild(child),
  };
}

function readFirstLine(child: ChildProcess, errors: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host not ready in 20 s: ${errors()}`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}: ${errors()}`));
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
