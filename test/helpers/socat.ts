import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A linked pair of real ptys made by socat: bytes written to one end come out of the other. */
export interface SocatPair {
  /** Symlink to the first pty (usually opened by the app). */
  pathA: string;
  /** Symlink to the second pty (usually driven by the test). */
  pathB: string;
  /** socat's process id; `stop()` kills exactly this process. */
  pid: number;
  /** Kills socat by its PID and waits for it to exit (socat removes both links). Safe to call twice. */
  stop(): Promise<void>;
}

export interface SocatPairOptions {
  /** Directory for the two links; a fresh temp dir when omitted. Pass the same dir and names to "replug". */
  dir?: string;
  /** Link file names inside `dir`; default ['A', 'B']. */
  names?: readonly [string, string];
  /** How long to wait for socat to be ready; default 5000 ms. */
  readyTimeoutMs?: number;
}

/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and resolves once both links exist and socat
 * reports its data transfer loop, so nothing written right after is lost. A pty ignores the baud rate.
 */
export async function startSocatPair(options: SocatPairOptions = {}): Promise<SocatPair> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'socat-'));
  const [nameA, nameB] = options.names ?? ['A', 'B'];
  const pathA = join(dir, nameA);
  const pathB = join(dir, nameB);
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${pathA}`, `pty,raw,echo=0,link=${pathB}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('socat did not start (is it installed? apt-get install socat)');

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
    }
    await exited;
  };

  try {
    await waitUntilReady(child, pathA, pathB, options.readyTimeoutMs ?? 5000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pathA, pathB, pid, stop };
}

function waitUntilReady(child: ChildProcess, pathA: string, pathB: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    let loopStarted = false;
    const finish = (error?: Error): void => {
      clearInterval(poll);
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining socat's log so a chatty socat can never block on a full pipe.
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    };
    const check = (): void => {
      if (loopStarted && existsSync(pathA) && existsSync(pathB)) finish();
    };
    const onData = (chunk: Buffer): void => {
      log += chunk.toString('utf8');
      if (log.includes('starting data transfer loop')) loopStarted = true;
      check();
    };
    const onExit = (code: number | null): void => finish(new Error(`socat exited early (code ${code}): ${log}`));
    const poll = setInterval(check, 10);
    const timer = setTimeout(() => finish(new Error(`socat not ready after ${timeoutMs} ms: ${log}`)), timeoutMs);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
