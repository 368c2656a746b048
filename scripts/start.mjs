// `npm start`: builds if needed, then runs the app in Electron. Where the Electron binary could not be fetched
// (as on machines without access to its download host), says so in one line and runs the same app on the web
// host instead, opening the cashier and customer display in an installed Chromium/Chrome in app mode. Flags after
// `npm start --` go to the app (e.g. `npm start -- --sandbox --printer tcp://192.168.1.50:9100`). Stopping this
// script (Ctrl+C, SIGTERM, SIGHUP) stops everything it started: Electron or the web host, and the browser windows.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

/** The installed Electron binary, or null. Never `require('electron')`: that downloads with a noisy stack on failure. */
function installedElectron() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Electron's binary, fetched once (quietly) when npm install could not: null when it still cannot be had. */
function electronBinary() {
  const installed = installedElectron();
  if (installed) return installed;
  try {
    const installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
    // Its output (progress, a `fetch failed` stack offline) is not for the person starting the app: one line says what happened.
    spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 10 * 60_000 });
  } catch {
    return null;
  }
  return installedElectron();
}

/** Everything this script started, stopped when it is stopped (Ctrl+C, SIGTERM to `npm start`, a closed terminal). */
const started = [];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      // Browser windows run in their own process group (detached): end the whole group.
      if (child.detachedGroup) process.kill(-child.pid, 'SIGTERM');
      else child.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
  const main = started[0];
  if (!main || main.exitCode !== null || main.signalCode !== null) process.exit(code);
  main.once('exit', () => process.exit(code));
  setTimeout(() => process.exit(code), 10_000).unref();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0));
// `npm start` runs this script under `sh -c`, and SIGTERM to npm ends that shell without passing the signal on:
// this script then finds its parent gone and stops as if it had been told to.
const parentPid = process.ppid;
setInterval(() => {
  try {
    process.kill(parentPid, 0);
  } catch {
    stopAll(0);
  }
}, 500).unref();

const electron = electronBinary();
if (electron) {
  const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  started.push(child);
  child.on('exit', (code) => stopAll(code ?? 0));
} else {
  process.stdout.write('未能获得 Electron 程序（无法下载），改为以网页主机方式启动同一应用 / Electron binary unavailable: starting the same app on the web host\n');
  startWebHost();
}

function startWebHost() {
  const host = spawn(process.execPath, ['dist/electron/serve.mjs', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(host);
  host.on('exit', (code) => stopAll(code ?? 0));
  createInterface({ input: host.stdout }).on('line', (line) => {
    let ready;
    try {
      ready = JSON.parse(line);
    } catch {
      process.stdout.write(`${line}\n`);
      return;
    }
    if (!ready.cashier) {
      if (ready.setupCode) process.stdout.write(`开店设置码 / setup code: ${ready.setupCode}\n`);
      return;
    }
    const sandboxLines = ready.sandbox
      ? `微信支付沙箱 / WeChat Pay sandbox: ${ready.sandbox}${ready.sandboxCa ? `\n  （自签证书，CA 文件 / its own CA: ${ready.sandboxCa}）` : ''}\n`
      : '';
    const setupLine = ready.setupCode ? `开店设置码 / setup code: ${ready.setupCode}\n` : '';
    const browser = findBrowser();
    if (!browser) {
      process.stdout.write(`收银台 / cashier:  ${ready.cashier}\n顾客屏 / display:  ${ready.display}\n经理 / manager:    ${ready.manager}\n${sandboxLines}${setupLine}`);
      return;
    }
    for (const [role, url] of [['cashier', ready.cashier], ['display', ready.display]]) {
      const window = spawn(browser, [`--app=${url}`, `--user-data-dir=${process.env.TMPDIR ?? '/tmp'}/wechat-pos-${role}`, '--no-first-run'], {
        stdio: 'ignore',
        detached: true,
      });
      window.detachedGroup = process.platform !== 'win32';
      window.unref();
      started.push(window);
    }
    process.stdout.write(`已在 ${browser} 中打开收银台和顾客屏；经理后台 / manager: ${ready.manager}\n${sandboxLines}${setupLine}`);
  });
}

function findBrowser() {
  // A Linux machine without a graphical session (a server, CI) cannot show a window: print the URLs instead.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return null;
  const candidates =
    process.platform === 'win32'
      ? [
          `${process.env['PROGRAMFILES'] ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
          `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Microsoft\\Edge\\Application\\msedge.exe`,
        ]
      : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  return candidates.find((path) => existsSync(path)) ?? null;
}
