import { ESLint } from 'eslint';
import { rmSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rules of ARCHITECTURE.md are enforced by lint as errors. These tests lint small probe files at
 * paths inside each layer through the project's real ESLint config, so a rule that stops working fails here.
 */
const eslint = new ESLint({ cwd: process.cwd(), ignore: false });

/** Type-aware rules need a real file in the TypeScript project, so the probe is written, linted and removed. */
async function errorsFor(filePath: string, code: string): Promise<string[]> {
  const probe = filePath.replace('lint-probe', `lint-probe-${process.pid}`);
  writeFileSync(probe, code);
  try {
    const [result] = await eslint.lintFiles([probe]);
    const messages = result?.messages ?? [];
    const parseError = messages.find((m) => m.ruleId === null);
    if (parseError) throw new Error(`probe did not parse: ${parseError.message}`);
    return messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
  } finally {
    rmSync(probe, { force: true });
  }
}

describe('layer rules', () => {
  // The first type-aware lint builds the TypeScript program of the whole project: seconds on an idle machine, more
  // than the per-test limit on a loaded one. It happens here, once, with its own limit; each rule's test then
  // measures only its probe.
  beforeAll(async () => {
    await errorsFor('shared/lint-probe.ts', 'export const warmUp = 1;\n');
  }, 180_000);

  it('reject a Node import in shared/', async () => {
    const errors = await errorsFor('shared/lint-probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(errors.join('\n')).toMatch(/no-restricted-imports: .*shared\//);
  });

  it('reject an electron/ import in shared/', async () => {
    const errors = await errorsFor('shared/lint-probe.ts', "import { createApp } from '../electron/app';\nexport const x = createApp;\n");
    expect(errors.join('\n')).toMatch(/no-restricted-imports/);
  });

  it('reject DOM globals in shared/', async () => {
    const errors = await errorsFor('shared/lint-probe.ts', 'export const x = (): string => document.title;\n');
    expect(errors.join('\n')).toMatch(/no-restricted-globals/);
  });

  it('reject an electron/ import in renderer/', async () => {
    const errors = await errorsFor('renderer/lint-probe.ts', "import { createApp } from '../electron/app';\nexport const x = createApp;\n");
    expect(errors.join('\n')).toMatch(/no-restricted-imports: .*renderer\/ never imports electron\//);
  });

  it('reject the electron module outside main.ts, preload/ and adapters/', async () => {
    const errors = await errorsFor('electron/payments/lint-probe.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(errors.join('\n')).toMatch(/no-restricted-imports: .*Only electron\/main.ts/);
  });

  it('allow the electron module in an adapter', async () => {
    const errors = await errorsFor('electron/adapters/lint-probe.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(errors.join('\n')).not.toMatch(/no-restricted-imports/);
  });

  it('reject a renderer/ import in electron/', async () => {
    const errors = await errorsFor('electron/lint-probe.ts', "import { translate } from '../renderer/i18n/messages';\nexport const x = translate;\n");
    expect(errors.join('\n')).toMatch(/no-restricted-imports: .*electron\/ never imports renderer\//);
  });

  it('reject the electron module and the counter\'s services in the hub', async () => {
    const services = ['../payments/payments', '../app', '../wiring/payments', '../shifts/shifts'];
    const code = `import { app } from 'electron';\n${services.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}\nexport const x = [app, ${services.map((_, i) => `m${i}`).join(', ')}];\n`;
    const errors = (await errorsFor('electron/hub/lint-probe.ts', code)).join('\n');
    expect(errors).toMatch(/no-restricted-imports: .*electron\/hub\/ runs under plain Node/);
    expect(errors.match(/never imports the counter's services/g)).toHaveLength(services.length);
  });

  it('allow the hub to use shared/ and pure helpers', async () => {
    const code = "import { ensurePrivateFolder } from '../db/private-files';\nimport { systemClock } from '../../shared/clock';\nexport const x = [ensurePrivateFolder, systemClock];\n";
    expect((await errorsFor('electron/hub/lint-probe.ts', code)).join('\n')).not.toMatch(/no-restricted-imports/);
  });

  it('reject a default export, an explicit any and a floating promise', async () => {
    const errors = (
      await errorsFor('electron/lint-probe.ts', 'export default 1;\nexport const f = (a: any): unknown => a;\nexport async function g(): Promise<void> { Promise.resolve(1); }\n')
    ).join('\n');
    expect(errors).toMatch(/no-restricted-syntax: Use named exports/);
    expect(errors).toMatch(/no-explicit-any/);
    expect(errors).toMatch(/no-floating-promises/);
  });

  it('reject a focused or skipped test', async () => {
    const code = "import { it } from 'vitest';\nit.only('x', () => {});\nit.skip('y', () => {});\n";
    const errors = (await errorsFor('test/unit/lint-probe.test.ts', code)).join('\n');
    expect(errors.match(/no-restricted-properties/g)).toHaveLength(2);
  });
});
