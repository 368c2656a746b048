import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The process side of the crash tests (payments and basket): a TypeScript child bundled once with esbuild (tsx
 * needs 2–3 s per start here, the bundle well under one, which keeps dozens of restarts within the time budget),
 * started in its own process group so a SIGKILL takes it whole, and every child still alive killed at the end.
 */
export interface KillableChild {
  child: ChildProcess;
  /** Resolves when the child prints "ready" on stdout. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Bundles `entry` to `outfile` (put it inside node_modules so its external better-sqlite3 resolves as usual). */
export async function bundleChild(entry: string, outfile: string): Promise<void> {
  mkdirSync(join(outfile, '..'), { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    external: ['better-sqlite3'],
    logLevel: 'error',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
}

/** SIGKILL to a child's process group (a tsx wrapper and the node process running the script). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export interface ChildPool {
  /** Writes `config` as JSON into `dir` and starts `command args… <config file>` in its own process group. */
  spawn(command: string, args: readonly string[], config: unknown, index: number): KillableChild;
  /** Kills every child still running (the test's afterAll). */
  killAll(): void;
}

export function createChildPool(dir: string, cwd: string): ChildPool {
  const live = new Set<ChildProcess>();
  return {
    spawn(command, args, config, index) {
      const file = join(dir, `child-${index}.json`);
      writeFileSync(file, JSON.stringify(config));
      const child = spawn(command, [...args, file], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      live.add(child);
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const ready = new Promise<void>((res) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && res()));
      const exited = new Promise<number | null>((res) =>
        child.on('exit', (code) => {
          live.delete(child);
          res(code);
        }),
      );
      return { child, ready, exited, stderr: () => err };
    },
    killAll() {
      for (const child of live) if (child.pid !== undefined && child.exitCode === null) killGroup(child.pid);
    },
  };
}
