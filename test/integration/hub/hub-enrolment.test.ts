import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS, type SignedInAnswer, type TerminalView } from '../../../shared/hub-admin-api';
import { HUB_HEADERS, HUB_PATHS, SIGNATURE_MAX_SKEW_MS, signingBase, type HighWaterAnswer, type HubErrorBody, type PushFactsAnswer } from '../../../shared/hub-protocol';
import { countFacts } from '../../../electron/hub/db/facts';
import { ENROL_FAILURE_WINDOW_MS, ENROL_MAX_FAILURES, PAIRING_CODE_TTL_MS } from '../../../electron/hub/enrolment';
import { AdminClient, HUB_ENGINES, TestCounter, saleFact, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

const errorCode = (body: unknown): string => (body as HubErrorBody).error.code;

describe.each(HUB_ENGINES)('hub enrolment and trust on %s', (engine) => {
  let t: HubUnderTest;
  let storeId = '';

  beforeAll(async () => {
    t = await startTestHub(engine);
    expect(t.hub.adminUrl).toMatch(/\/setup\?token=[A-Za-z0-9_-]{40,}$/);
    storeId = (await t.admin.setUp(t.hub.adminUrl)).storeId;
  });
  afterAll(async () => t?.close());

  it('uses the setup token once: a second setup with it is refused and creates nobody', async () => {
    const token = new URL(t.hub.adminUrl ?? '').searchParams.get('token');
    const again = await new AdminClient(t.hub.url).request('POST', HUB_ADMIN_PATHS.setup, { token, ownerName: '坏人', password: 'another password', storeName: 'X' });
    expect(again.status).toBe(403);
    expect(errorCode(again.body)).toBe('SETUP_DONE');
    const state = await new AdminClient(t.hub.url).request<{ setUp: boolean }>('GET', HUB_ADMIN_PATHS.state);
    expect(state.body.setUp).toBe(true);
    const intruder = new AdminClient(t.hub.url);
    expect((await intruder.request('POST', HUB_ADMIN_PATHS.session, { name: '坏人', password: 'another password' })).status).toBe(401);
  });

  it('lets exactly one of two counters racing with the same pairing code enrol', async () => {
    const code = await t.admin.pairingCode(storeId);
    const answers = await Promise.all([0, 1, 2].map(() => new TestCounter(t.hub.url, t.clock).enrol(code)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
  });

  it('refuses the admin API without a session and signs the owner in with the password', async () => {
    const stranger = new AdminClient(t.hub.url);
    expect((await stranger.request('GET', HUB_ADMIN_PATHS.terminals)).status).toBe(401);
    const signedIn = await stranger.request<SignedInAnswer>('POST', HUB_ADMIN_PATHS.session, { name: '王老板', password: 'correct horse battery' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await stranger.request('GET', HUB_ADMIN_PATHS.terminals)).status).toBe(200);
    expect((await stranger.request('DELETE', HUB_ADMIN_PATHS.session)).status).toBe(200);
    expect((await stranger.request('GET', HUB_ADMIN_PATHS.terminals)).status).toBe(401);
  });

  it('enrols a counter with a pairing code once: the same code again, a wrong code and an expired code get one answer', async () => {
    const before = (await t.admin.request<TerminalView[]>('GET', HUB_ADMIN_PATHS.terminals)).body.length;
    const code = await t.admin.pairingCode(storeId);
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    const counter = new TestCounter(t.hub.url, t.clock);
    const enrolled = await counter.enrol(code);
    expect(enrolled.status).toBe(200);
    expect(enrolled.body).toMatchObject({ storeId, storeName: '一号店', hubId: t.hub.hubId });
    expect(enrolled.body.terminalId).toMatch(/^[A-Z0-9]{2,6}$/);

    const reused = await new TestCounter(t.hub.url, t.clock).enrol(code);
    const wrong = await new TestCounter(t.hub.url, t.clock).enrol('ABCDEFGHJK');
    const expiring = await t.admin.pairingCode(storeId);
    t.clock.advance(PAIRING_CODE_TTL_MS + 1);
    const expired = await new TestCounter(t.hub.url, t.clock).enrol(expiring);
    for (const refused of [reused, wrong, expired]) {
      expect(refused.status).toBe(400);
      expect(errorCode(refused.body)).toBe('PAIRING_CODE_INVALID');
    }
    const terminals = await t.admin.request<TerminalView[]>('GET', HUB_ADMIN_PATHS.terminals);
    expect(terminals.body).toHaveLength(before + 1);
    expect(terminals.body.map((x) => x.terminalId)).toContain(enrolled.body.terminalId);
  });

  it('answers signed calls of an enrolled counter and refuses bad signatures, stale timestamps, replays, another key and unknown terminals', async () => {
    const counter = new TestCounter(t.hub.url, t.clock);
    expect((await counter.enrol(await t.admin.pairingCode(storeId))).status).toBe(200);
    const ok = await counter.signed<HighWaterAnswer>('GET', HUB_PATHS.highWater);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ highWater: 0 });

    const other = generateKeyPairSync('ed25519').privateKey;
    const refusals = [
      await counter.signed('GET', HUB_PATHS.highWater, undefined, { signature: 'A'.repeat(86) }),
      await counter.signed('GET', HUB_PATHS.highWater, undefined, { privateKey: other }),
      await counter.signed('GET', HUB_PATHS.highWater, undefined, { terminalId: 'ZZZZ' }),
      // Signed for one path, sent to another.
      await counter.pushFacts([saleFact(1)], { signature: undefined, nonce: undefined, terminalId: undefined, privateKey: other }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(401);
      expect(errorCode(refused.body)).toBe('UNAUTHENTICATED');
    }
    // A clock too far off either way has its own code: the counter fixes its clock and goes on, it does not stop.
    for (const timestamp of [t.clock.now() - SIGNATURE_MAX_SKEW_MS - 1, t.clock.now() + SIGNATURE_MAX_SKEW_MS + 1]) {
      const skewed = await counter.signed('GET', HUB_PATHS.highWater, undefined, { timestamp });
      expect(skewed.status).toBe(401);
      expect(errorCode(skewed.body)).toBe('CLOCK_SKEW');
    }
    const nonce = 'replayed-nonce-0123456789';
    expect((await counter.signed('GET', HUB_PATHS.highWater, undefined, { nonce })).status).toBe(200);
    const replay = await counter.signed('GET', HUB_PATHS.highWater, undefined, { nonce });
    expect(replay.status).toBe(401);
    expect((replay.body as HubErrorBody).error.message).toMatch(/nonce/);
    expect(await countFacts(t.hub.database.db, counter.terminalId)).toBe(0);
    expect(t.log.text()).toMatch(/request refused.*UNAUTHENTICATED/);
    // Refusals are logged without signatures (86 base64url characters) or keys.
    expect(t.log.text()).not.toMatch(/[A-Za-z0-9_-]{86}/);
  });

  it('accepts a push that was fresh when it arrived even if its body reached the hub after the allowed skew', async () => {
    const counter = new TestCounter(t.hub.url, t.clock);
    expect((await counter.enrol(await t.admin.pairingCode(storeId))).status).toBe(200);
    const raw = JSON.stringify({ facts: [saleFact(1)] });
    const timestamp = t.clock.now();
    const nonce = randomBytes(16).toString('base64url');
    const hash = createHash('sha256').update(raw).digest('hex');
    const signature = sign(null, Buffer.from(signingBase('POST', HUB_PATHS.facts, timestamp, nonce, hash)), counter.privateKey).toString('base64url');
    // `Expect: 100-continue`: the hub answers "continue" as it takes the request in, before a byte of the body; the
    // hub's clock then moves past the allowed skew (the push waiting inside a busy hub), and only then the body follows.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${t.hub.url}${HUB_PATHS.facts}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json', 'content-length': Buffer.byteLength(raw), expect: '100-continue',
          [HUB_HEADERS.terminal]: counter.terminalId, [HUB_HEADERS.timestamp]: String(timestamp), [HUB_HEADERS.nonce]: nonce, [HUB_HEADERS.signature]: signature,
        },
      });
      req.on('continue', () => {
        t.clock.advance(SIGNATURE_MAX_SKEW_MS + 60_000);
        req.end(raw);
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { text += chunk; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer.status, answer.body).toBe(200);
    expect((JSON.parse(answer.body) as PushFactsAnswer).highWater).toBe(1);
    expect(await countFacts(t.hub.database.db, counter.terminalId)).toBe(1);
    // A request already stale when it arrives is still refused.
    const stale = await counter.pushFacts([saleFact(2)], { timestamp: t.clock.now() - SIGNATURE_MAX_SKEW_MS - 1 });
    expect(errorCode(stale.body)).toBe('CLOCK_SKEW');
  });

  it('refuses a request from another terminal signed with this terminal\'s key', async () => {
    const a = new TestCounter(t.hub.url, t.clock);
    const b = new TestCounter(t.hub.url, t.clock);
    await a.enrol(await t.admin.pairingCode(storeId));
    await b.enrol(await t.admin.pairingCode(storeId));
    const asB = await a.pushFacts([saleFact(1)], { terminalId: b.terminalId });
    expect(asB.status).toBe(401);
    expect(await countFacts(t.hub.database.db, b.terminalId)).toBe(0);
  });

  it('refuses everything from a revoked terminal with REVOKED and stores nothing it sends', async () => {
    const counter = new TestCounter(t.hub.url, t.clock);
    await counter.enrol(await t.admin.pairingCode(storeId));
    expect((await counter.pushFacts([saleFact(1)])).status).toBe(200);
    const revoked = await t.admin.request<TerminalView>('POST', HUB_ADMIN_PATHS.revokeTerminal(counter.terminalId));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBe(t.clock.now());
    const push = await counter.pushFacts([saleFact(2)]);
    expect(push.status).toBe(401);
    expect(errorCode(push.body)).toBe('REVOKED');
    const heartbeat = await counter.signed('POST', HUB_PATHS.heartbeat, JSON.stringify({
      appVersion: '0.1.0', backlog: 1, oldestUnsentAt: null, wechatReachable: true, printer: 'ok', scanner: 'ok', openShift: null,
    }));
    expect(heartbeat.status).toBe(401);
    expect(await countFacts(t.hub.database.db, counter.terminalId)).toBe(1);
    const row = await t.hub.database.db.selectFrom('heartbeats').selectAll().where('terminal_id', '=', counter.terminalId).executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('stores a heartbeat and shows it with the terminal', async () => {
    const counter = new TestCounter(t.hub.url, t.clock);
    await counter.enrol(await t.admin.pairingCode(storeId), '2号收银台');
    const state = { appVersion: '0.1.0', backlog: 3, oldestUnsentAt: t.clock.now() - 1000, wechatReachable: true, printer: 'paper-out', scanner: 'ok', openShift: null };
    expect((await counter.signed('POST', HUB_PATHS.heartbeat, JSON.stringify(state))).status).toBe(200);
    const terminals = await t.admin.request<TerminalView[]>('GET', HUB_ADMIN_PATHS.terminals);
    const mine = terminals.body.find((x) => x.terminalId === counter.terminalId);
    expect(mine?.heartbeat?.state).toEqual(state);
    expect(mine?.counterName).toBe('2号收银台');
  });

  it('rate-limits enrolment after repeated wrong codes, even for a good code, until the window passes', async () => {
    t.clock.advance(ENROL_FAILURE_WINDOW_MS); // earlier tests' wrong codes are forgotten
    const good = await t.admin.pairingCode(storeId);
    for (let i = 0; i < ENROL_MAX_FAILURES; i += 1) {
      expect((await new TestCounter(t.hub.url, t.clock).enrol('WRONGWRONG')).status).toBe(400);
    }
    const limited = await new TestCounter(t.hub.url, t.clock).enrol(good);
    expect(limited.status).toBe(429);
    expect(errorCode(limited.body)).toBe('RATE_LIMITED');
    t.clock.advance(ENROL_FAILURE_WINDOW_MS);
    expect((await new TestCounter(t.hub.url, t.clock).enrol(await t.admin.pairingCode(storeId))).status).toBe(200);
  });

  it('slows down and then locks sign-in after wrong passwords, per account', async () => {
    const guesser = new AdminClient(t.hub.url);
    const attempt = async (password: string): Promise<number> => (await guesser.request('POST', HUB_ADMIN_PATHS.session, { name: '王老板', password })).status;
    for (let i = 0; i < 3; i += 1) expect(await attempt('wrong password')).toBe(401);
    expect(await attempt('correct horse battery')).toBe(429);
    for (let i = 3; i < 10; i += 1) {
      t.clock.advance(2 ** 10 * 1000);
      expect(await attempt('wrong password')).toBe(401);
    }
    t.clock.advance(2 ** 10 * 1000);
    expect(await attempt('correct horse battery')).toBe(429);
    t.clock.advance(30 * 60_000);
    expect(await attempt('correct horse battery')).toBe(200);
  });
});

describe.each(HUB_ENGINES)('first-start setup on %s', (engine) => {
  let t: HubUnderTest;
  beforeAll(async () => {
    t = await startTestHub(engine);
  });
  afterAll(async () => t?.close());

  it('refuses a wrong token and a short password without using the token up, then sets up once', async () => {
    const token = new URL(t.hub.adminUrl ?? '').searchParams.get('token') ?? '';
    const client = new AdminClient(t.hub.url);
    const setup = (body: Record<string, string>): Promise<{ status: number; body: unknown }> =>
      client.request('POST', HUB_ADMIN_PATHS.setup, { token, ownerName: '王老板', password: 'long enough pw', storeName: '一号店', ...body });
    const wrong = await setup({ token: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const short = await setup({ password: '123456' });
    expect(short.status).toBe(400);
    expect(errorCode(short.body)).toBe('BAD_REQUEST');
    expect((await client.request<{ setUp: boolean }>('GET', HUB_ADMIN_PATHS.state)).body.setUp).toBe(false);
    expect((await setup({})).status).toBe(200);
    expect((await setup({})).status).toBe(403);
  });
});
