// `npm start`: builds if needed, then runs the app in Electron. Where the Electron binary could not be fetched
// (as on machines without access to its download host), says so in one line and runs the same app on the web
// host instead, opening the cashier and customer display in an installed Chromium/Chrome in app mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (electron) {
  const child = spawn(electron, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write('未能找到 Electron 程序（安装时无法下载），改为以网页主机方式启动同一应用 / Electron binary unavailable: starting the same app on the web host\n');
  startWebHost();
}

function startWebHost() {
  const host = spawn(process.execPath, ['dist/electron/serve.mjs', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => host.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  host.on('exit', (code) => process.exit(code ?? 0));
  createInterface({ input: host.stdout }).once('line', (line) => {
    const urls = JSON.parse(line);
    const browser = findBrowser();
    if (!browser) {
      process.stdout.write(`收银台 / cashier:  ${urls.cashier}\n顾客屏 / display:  ${urls.display}\n经理 / manager:    ${urls.manager}\n`);
      return;
    }
    for (const [role, url] of [['cashier', urls.cashier], ['display', urls.display]]) {
      spawn(browser, [`--app=${url}`, `--user-data-dir=${process.env.TMPDIR ?? '/tmp'}/wechat-pos-${role}`, '--no-first-run'], {
        stdio: 'ignore',
        detached: true,
      }).unref();
    }
    process.stdout.write(`已在 ${browser} 中打开收银台和顾客屏；经理后台 / manager: ${urls.manager}\n`);
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
