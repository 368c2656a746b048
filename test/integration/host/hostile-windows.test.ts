import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, type WindowRole } from '../../../shared/api';
import { startSocatPair, type SocatPair } from '../../helpers/socat';
import { startWebHostProcess, type WebHostProcess } from '../../helpers/web-host-process';
import { openWindowSocket, processAlive, type WindowSocket } from '../../helpers/window-socket';
import { repoRoot } from '../../unit/packaging/builder-config';
import { closeDeviceEnd, openDeviceEnd, writeBytes } from '../devices/scanner/recorder';

/**
 * What anyone holding one window's URL, or a scanner's cable, can do to the built web host (issue 17, findings 1,
 * 2 and 12, and its fuzz test): the real `dist/electron/serve.mjs` in sandbox mode, as a child process.
 */
const ROLES: readonly WindowRole[] = ['cashier', 'display', 'manager'];

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, stdio: 'pipe' });
}, 180_000);

describe('the web host, sent anything over a window socket', () => {
  let host: WebHostProcess;
  beforeAll(async () => {
    host = await startWebHostProcess(['--sandbox']);
  }, 60_000);
  afterAll(async () => {
    await host.stop();
  });

  it('answers null, 42, "x", [], broken JSON, binary frames and wrong-typed fields with a refusal, and keeps serving', async () => {
    const socket = await openWindowSocket(host.origin, host.tokens.cashier);
    const refusals: [string, Record<string, unknown>][] = [
      ['null', { type: 'error', code: 'BAD_MESSAGE' }],
      ['42', { type: 'error', code: 'BAD_MESSAGE' }],
      ['"x"', { type: 'error', code: 'BAD_MESSAGE' }],
      ['[]', { type: 'error', code: 'BAD_MESSAGE' }],
      ['{"type":"call",', { type: 'error', code: 'BAD_MESSAGE' }],
      ['{"type":"call","id":"7","method":"app.getInfo"}', { type: 'error', code: 'BAD_MESSAGE' }],
      ['{"type":"call","id":8,"method":42}', { type: 'result', id: 8, result: { ok: false, error: { code: 'BAD_MESSAGE' } } }],
      ['{"type":"call","id":9,"method":"app.getInfo","request":[],"extra":1}', { type: 'result', id: 9, result: { ok: false, error: { code: 'BAD_MESSAGE' } } }],
      ['{"type":"call","id":10,"method":"app.setLanguage","request":{"language":7}}', { type: 'result', id: 10, result: { ok: false, error: { code: 'BAD_REQUEST' } } }],
    ];
    for (const [text, expected] of refusals) {
      const before = socket.received.length;
      socket.sendRaw(text);
      const answer = await socket.waitFor((m) => socket.received.indexOf(m) >= before && (m.type === 'error' || m.type === 'result'));
      expect(answer, text).toMatchObject(expected);
    }
    socket.sendRaw(Buffer.from([0x00, 0xff, 0x7b]), true);
    expect(await socket.waitFor((m) => m.type === 'error' && String(m.message).includes('text'))).toMatchObject({ code: 'BAD_MESSAGE' });
    expect(processAlive(host.pid)).toBe(true);
    expect(await socket.call('app.getInfo', {})).toMatchObject({ ok: true, value: { sandbox: true } });
    await socket.close();
  });
});

describe("each window's own credential", () => {
  let host: WebHostProcess;
  beforeAll(async () => {
    host = await startWebHostProcess(['--sandbox']);
  }, 60_000);
  afterAll(async () => {
    await host.stop();
  });

  it("lets the customer display's URL open neither the cashier's nor the manager's window, whatever role it names", async () => {
    expect(new Set(Object.values(host.tokens)).size).toBe(3);
    for (const page of ['cashier', 'manager']) {
      expect((await fetch(`${host.origin}/${page}?token=${host.tokens.display}`)).status).toBe(403);
    }
    expect((await fetch(host.urls.display)).status).toBe(200);
    for (const claimed of ['role=manager', 'role=cashier']) {
      const display = await openWindowSocket(host.origin, host.tokens.display, claimed);
      for (const [method, request] of [
        ['setup.createOwner', { name: '冒充老板', pin: '604172', setupCode: host.setupCode }],
        ['cart.preview', { lines: [{ name: '假商品', quantity: 1, unitFen: 1 }] }],
        ['auth.signIn', { pin: '9999' }],
        ['auth.listUsers', {}],
      ] as const) {
        expect(await display.call(method, request), `${claimed} ${method}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      await display.close();
    }
  });

  it('asks for no sign-in only where a window needs none: not to mirror a cart, nor to list the staff', async () => {
    const cashier = await openWindowSocket(host.origin, host.tokens.cashier);
    expect(await cashier.call('cart.preview', { lines: [{ name: '可乐', quantity: 1, unitFen: 300 }] })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await cashier.call('auth.listUsers', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await cashier.call('app.getInfo', {})).toMatchObject({ ok: true });
    const manager = await openWindowSocket(host.origin, host.tokens.manager);
    expect(await manager.call('auth.listUsers', {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    // A cashier's PIN opens nothing at the manager window.
    expect(await manager.call('auth.signIn', { pin: '1111' })).toMatchObject({ ok: true });
    expect(await manager.call('auth.listUsers', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await manager.call('auth.signOut', {});
    expect(await manager.call('auth.signIn', { pin: '9999' })).toMatchObject({ ok: true });
    expect(await manager.call('auth.listUsers', {})).toMatchObject({ ok: true });
    await cashier.call('auth.signIn', { pin: '1111' });
    expect(await cashier.call('cart.preview', { lines: [{ name: '可乐', quantity: 1, unitFen: 300 }] })).toMatchObject({ ok: true, value: { totalFen: 300 } });
    await cashier.close();
    await manager.close();
  });

  it('takes an approval only in the window that obtained it', async () => {
    const first = await openWindowSocket(host.origin, host.tokens.manager);
    const second = await openWindowSocket(host.origin, host.tokens.manager);
    for (const window of [first, second]) expect(await window.call('auth.signIn', { pin: '9999' })).toMatchObject({ ok: true });
    const grant = await first.call<{ token: string }>('approval.request', { action: 'user-manage', pin: '9999', subject: 'user:demo-cashier' });
    if (!grant.ok) throw new Error(grant.error.message);
    const unlock = { userId: 'demo-cashier', approvalToken: grant.value.token };
    expect(await second.call('users.unlock', unlock)).toMatchObject({ ok: false, error: { code: 'APPROVAL_INVALID' } });
    expect(await first.call('users.unlock', unlock)).toMatchObject({ ok: true, value: { id: 'demo-cashier' } });
    await first.close();
    await second.close();
  });

  it('creates the first owner only with the one-time code of the ready line, which is in no URL and no log, once', async () => {
    const code = host.setupCode ?? '';
    expect(code).toMatch(/^\w{4}-\w{4}-\w{4}$/);
    expect(Object.values(host.urls).join(' ')).not.toContain(code);
    const manager = await openWindowSocket(host.origin, host.tokens.manager);
    const owner = { name: '店主', pin: '604172' };
    expect(await manager.call('setup.createOwner', owner)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await manager.call('setup.createOwner', { ...owner, setupCode: 'AAAA-BBBB-CCCC' })).toMatchObject({ ok: false, error: { code: 'SETUP_CODE_WRONG' } });
    const cashier = await openWindowSocket(host.origin, host.tokens.cashier);
    expect(await cashier.call('setup.createOwner', { ...owner, setupCode: code })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await manager.call('setup.createOwner', { ...owner, setupCode: code })).toMatchObject({ ok: true, value: { role: 'owner' } });
    expect(await manager.call('setup.createOwner', { name: '第二个', pin: '615283', setupCode: code })).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
    const log = join(host.dataDir, 'logs', 'app.log');
    if (existsSync(log)) expect(readFileSync(log, 'utf8')).not.toContain(code);
    await manager.close();
    await cashier.close();
  });
});

describe('fuzz: random frames over every window socket and random bytes from the scanner', () => {
  let host: WebHostProcess;
  let scanner: SocatPair;
  let device: SerialPort;
  const sockets = new Map<WindowRole, WindowSocket>();

  /** The window's socket, opened again when the last frame made the host close it (e.g. invalid UTF-8). */
  const socketFor = async (role: WindowRole): Promise<WindowSocket> => {
    const open = sockets.get(role);
    if (open && open.ws.readyState === open.ws.OPEN) return open;
    const socket = await openWindowSocket(host.origin, host.tokens[role]);
    sockets.set(role, socket);
    return socket;
  };

  beforeAll(async () => {
    scanner = await startSocatPair();
    host = await startWebHostProcess(['--sandbox', '--scanner', scanner.pathA]);
    device = await openDeviceEnd(scanner.pathB);
    // Signed in with a shift open, so random calls reach the handlers' own checks rather than stopping at sign-in.
    const cashier = await socketFor('cashier');
    await cashier.call('auth.signIn', { pin: '1111' });
    await cashier.call('shift.open', { openingFloatFen: 0 });
    await (await socketFor('manager')).call('auth.signIn', { pin: '9999' });
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets.values()) await socket.close();
    await closeDeviceEnd(device);
    await host.stop();
    await scanner.stop();
  });

  const frame = fc.oneof(
    fc.jsonValue().map((value) => ({ data: JSON.stringify(value) ?? 'null', binary: false })),
    fc.record({ type: fc.constant('call'), id: fc.integer(), method: fc.constantFrom(...METHOD_NAMES), request: fc.jsonValue() }).map((call) => ({ data: JSON.stringify(call), binary: false })),
    fc.string({ maxLength: 200 }).map((text) => ({ data: text, binary: false })),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ data: Buffer.from(bytes), binary: true })),
    // Random bytes in a text frame: mostly invalid UTF-8, which ends that connection (1007), never the host.
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ data: Buffer.from(bytes), binary: false })),
  );

  it('keeps the host up and answering a call after any frame on any window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROLES), frame, async (role, { data, binary }) => {
        (await socketFor(role)).sendRaw(data, binary);
        let answer = await (await socketFor(role)).call('app.getInfo', {});
        // A frame the protocol forbids closes that one connection: the window connects again, as the page does.
        if (!answer.ok && answer.error.code === 'CLOSED') answer = await (await socketFor(role)).call('app.getInfo', {});
        expect(processAlive(host.pid)).toBe(true);
        expect(answer).toMatchObject({ ok: true });
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('keeps the host up and answering a call after any bytes from the serial scanner', async () => {
    const scanned = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.stringMatching(/^1[0-5]\d{16}[\r\n]?$/).map((text) => Buffer.from(text)),
    );
    await fc.assert(
      fc.asyncProperty(scanned, async (bytes) => {
        await writeBytes(device, Buffer.concat([bytes, Buffer.from('\r')]));
        expect(processAlive(host.pid)).toBe(true);
        expect(await (await socketFor('cashier')).call('app.getInfo', {})).toMatchObject({ ok: true });
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
