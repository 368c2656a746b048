import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for the hub's tests: `initdb` + `pg_ctl start` in a temp dir on a free port,
 * listening on 127.0.0.1 and a socket in the temp dir, trust authentication (nothing else can reach it), fsync off
 * (a test cluster is thrown away, not recovered). PostgreSQL refuses to run as root, so as root the cluster belongs
 * to the `postgres` user (Debian's package creates it) and its commands run through `runuser -u postgres --`.
 * Stopped by its postmaster's PID and removed at the end. One cluster per test run (postgres-global-setup.ts);
 * each test file makes its own database in it (postgres-database.ts).
 *
 * `keepAt` (benchmarks only: BENCH_DASH_KEEP): the cluster lives in that folder instead of a temp dir and is never
 * removed — created there the first time, started again from there later (on the port it was first given, kept in
 * `<dir>/port`), reused as is when it is already running (and then left running). stop() stops a kept cluster it
 * started, cleanly, and keeps its files: data that took an hour to generate survives the run that made it.
 */
export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres — the maintenance database, for CREATE DATABASE. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
  /** Synchronous last resort for a process `exit` handler: signal the postmaster and remove the folder. */
  stopNow(): void;
}

/** Debian installs the server binaries per major version; the newest present is used. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

export const POSTGRES_MISSING =
  'PostgreSQL is not installed: the hub tests need its server binaries (/usr/lib/postgresql/<version>/bin/initdb). ' +
  'Install Debian\'s package: apt-get install postgresql (.ci/run does).';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function runningPid(data: string): number | null {
  const file = join(data, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export async function startPostgresCluster(options: { keepAt?: string } = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (bin === null) throw new Error(POSTGRES_MISSING);
  const kept = options.keepAt !== undefined;
  const root = options.keepAt ?? mkdtempSync(join(tmpdir(), 'hub-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  };
  const remove = (): void => {
    if (!kept) rmSync(root, { recursive: true, force: true });
  };
  try {
    if (kept) mkdirSync(root, { recursive: true });
    if (asRoot) {
      const { uid, gid } = postgresUser();
      chownSync(root, uid, gid);
    }
    const data = join(root, 'data');
    const portFile = join(root, 'port');
    if (!existsSync(join(data, 'PG_VERSION'))) {
      run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
      if (kept) writeFileSync(portFile, `${await freePort()}\n`);
    }
    const port = kept ? Number(readFileSync(portFile, 'utf8').trim()) : await freePort();
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const already = kept ? runningPid(data) : null;
    if (already !== null) return { adminUrl, port, stop: () => Promise.resolve(), stopNow: () => undefined };
    const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    run('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-o', serverOptions, '-w', '-t', '30', 'start']);
    const pid = runningPid(data);
    if (pid === null) throw new Error('PostgreSQL started but wrote no PID');
    return {
      adminUrl,
      port,
      async stop(): Promise<void> {
        await stopByPid(pid, kept ? 300_000 : 10_000); // a kept cluster's shutdown checkpoint may write a lot
        remove();
      },
      stopNow(): void {
        try {
          // Throwaway: immediate shutdown, nothing needs saving. Kept: fast shutdown, so it starts again cleanly.
          process.kill(pid, kept ? 'SIGINT' : 'SIGQUIT');
        } catch {
          // Already stopped.
        }
        remove();
      },
    };
  } catch (error) {
    const log = join(root, 'server.log');
    const detail = existsSync(log) ? `\n${readFileSync(log, 'utf8').slice(-2000)}` : '';
    remove();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`could not start a throwaway PostgreSQL: ${error instanceof Error ? error.message : String(error)} ${stderr}${detail}`);
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('running as root and there is no `postgres` user to run PostgreSQL as');
  return { uid: Number(uid), gid: Number(gid) };
}

/** SIGINT is PostgreSQL's "fast shutdown": clients are disconnected, the cluster stops cleanly. */
async function stopByPid(pid: number, waitMs: number): Promise<void> {
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < waitMs / 50 && alive(); i += 1) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
}
