// `npm test`: everything CI runs, in order. Checks the system tools the tests need first and names any missing
// one with the command that installs it, instead of failing later in a confusing way.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const REQUIRED = [
  { name: 'chromium', check: () => existsSync('/usr/bin/chromium'), why: 'end-to-end tests and HTML receipts' },
  { name: 'socat', check: () => onPath('socat'), why: 'real serial port pairs for scanner and printer tests' },
  { name: 'fonts-wqy-microhei', check: () => existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'), why: 'Chinese text in screenshots' },
  { name: 'poppler-utils', check: () => onPath('pdftotext'), why: 'reading text back from exported PDFs' },
  { name: 'postgresql', check: () => existsSync('/usr/lib/postgresql'), why: 'the hub\'s tests on a throwaway PostgreSQL' },
];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const missing = REQUIRED.filter((r) => !r.check());
if (missing.length > 0) {
  const names = missing.map((m) => m.name).join(' ');
  process.stderr.write(
    `npm test needs these Debian packages: ${names}\n` +
      missing.map((m) => `  - ${m.name}: ${m.why}\n`).join('') +
      `install them with:  sudo apt-get install -y ${names}\n`,
  );
  process.exit(1);
}

const steps = [
  ['lint', ['npx', 'eslint', '--max-warnings', '0', '.']],
  ['typecheck', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['build', ['node', 'scripts/build.mjs']],
  ['unit and integration tests', ['npx', 'vitest', 'run']],
  ['end-to-end tests', ['npx', 'playwright', 'test']],
];
for (const [label, [command, ...args]] of steps) {
  process.stdout.write(`\n=== ${label}: ${command} ${args.join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  process.stdout.write(`=== ${label}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}
