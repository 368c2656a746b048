import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS, HUB_ADMIN_REFERENCE_PATHS as R, type AuditView } from '../../../shared/hub-admin-api';
import { HUB_WECHAT_ADMIN_PATHS as W, type MerchantView, type WechatHubSettingsView } from '../../../shared/hub-wechat-admin-api';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { startHub } from '../../../electron/hub/app';
import { HUB_SECRETS_FILE } from '../../../electron/hub/merchants/sealed';
import { AdminClient, HUB_ENGINES, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { enterSandboxMerchant, sandboxMerchantRequest } from '../../helpers/hub-wechat';

/** The owner enters each store's WeChat merchant at the hub: sealed at rest, never shown again, audit-logged. */

describe.each(HUB_ENGINES)('hub merchant credentials on %s', (engine) => {
  let t: HubUnderTest;
  let sandbox: Sandbox;
  let storeId: string;

  beforeAll(async () => {
    t = await startTestHub(engine);
    sandbox = await startSandbox({ clock: t.clock });
    storeId = (await t.admin.setUp(t.hub.adminUrl)).storeId;
  });
  afterAll(async () => {
    await sandbox.close();
    await t.close();
  });

  it('keeps the credentials sealed in the database and the key file private, and shows only which secrets are set', async () => {
    const view = await enterSandboxMerchant(t.admin, storeId, sandbox);
    const c = sandbox.credentials;
    expect(view).toMatchObject({ mchid: c.mchid, apiVersion: 'v3', storeIds: [storeId], has: { apiV3Key: true, apiKeyV2: true, merchantPrivateKey: true } });
    expect(view.verifyingKeyIds).toEqual([c.wechatPayPublicKeyId, sandbox.platformCertificate.serial]);
    const listed = await t.admin.request<MerchantView[]>('GET', W.merchants);
    const everything = JSON.stringify(listed.body) + JSON.stringify(view);
    for (const secret of [c.apiV3Key, c.apiKeyV2, 'PRIVATE KEY']) expect(everything).not.toContain(secret);

    const rows = await t.hub.database.db.selectFrom('hub_merchants').selectAll().execute();
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    for (const secret of [c.apiV3Key, c.apiKeyV2, 'PRIVATE KEY', c.wechatPayPublicKeyId]) expect(stored).not.toContain(secret);

    expect(t.hub.merchants.credentialsFor(c.mchid)?.credentials.apiV3Key).toBe(c.apiV3Key);
    expect(t.hub.merchants.credentialsFor(c.mchid)?.storeIds).toEqual([storeId]);
    expect(t.hub.merchants.credentialsFor('1999999999')).toBeUndefined();
  });

  it('audit-logs the change by field names, and never logs a secret', async () => {
    const audit = await t.admin.request<AuditView[]>('GET', R.audit);
    const entry = audit.body.find((a) => a.action === 'wechat.merchant.set');
    expect(entry?.target).toBe(sandbox.credentials.mchid);
    expect(JSON.stringify(entry)).toContain('apiV3Key');
    const text = JSON.stringify(audit.body) + t.log.text();
    for (const secret of [sandbox.credentials.apiV3Key, sandbox.credentials.apiKeyV2]) expect(text).not.toContain(secret);
  });

  it('refuses credentials that could not verify a notification, naming the field and not the value', async () => {
    const good = sandboxMerchantRequest(sandbox);
    const short = await t.admin.request<{ error: { message: string } }>('PUT', W.merchant(sandbox.credentials.mchid), {
      ...good, credentials: { ...good.credentials, apiV3Key: 'too-short-key-123' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain('apiV3Key');
    expect(short.body.error.message).not.toContain('too-short-key-123');
    const noKeys = await t.admin.request('PUT', W.merchant(sandbox.credentials.mchid), {
      ...good, credentials: { ...good.credentials, wechatPayPublicKeyId: undefined, wechatPayPublicKeyPem: undefined, platformCertificates: [] },
    });
    expect(noKeys.status).toBe(400);
    expect(t.hub.merchants.credentialsFor(sandbox.credentials.mchid)?.credentials.wechatPayPublicKeyId).toBe(sandbox.credentials.wechatPayPublicKeyId);
  });

  it('lets only the owner see or set merchants and the public base URL', async () => {
    await t.admin.request('POST', R.users, { name: '孙经理', password: 'manager password 1', storeIds: [storeId] });
    const manager = new AdminClient(t.hub.url);
    await manager.request('POST', HUB_ADMIN_PATHS.session, { name: '孙经理', password: 'manager password 1' });
    expect((await manager.request('GET', W.merchants)).status).toBe(403);
    expect((await manager.request('PUT', W.merchant(sandbox.credentials.mchid), sandboxMerchantRequest(sandbox))).status).toBe(403);
    expect((await manager.request('PUT', W.settings, { publicBaseUrl: 'https://evil.example' })).status).toBe(403);
    const set = await t.admin.request<WechatHubSettingsView>('PUT', W.settings, { publicBaseUrl: 'https://hub.example.com/pos/' });
    expect(set.body).toEqual({
      publicBaseUrl: 'https://hub.example.com/pos',
      notifyUrls: { v3: 'https://hub.example.com/pos/wechatpay/v3/notify', v2: 'https://hub.example.com/pos/wechatpay/v2/notify' },
    });
  });
});

describe('hub merchant credentials across a restart', () => {
  it('unseals them again with the key file (0600) of the data dir', async () => {
    const t = await startTestHub('sqlite');
    const sandbox = await startSandbox({ clock: t.clock });
    try {
      const storeId = (await t.admin.setUp(t.hub.adminUrl)).storeId;
      await enterSandboxMerchant(t.admin, storeId, sandbox);
      const dataDir = t.dataDir;
      await t.hub.close();
      const keyFile = join(dataDir, HUB_SECRETS_FILE);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(keyFile, 'utf8')).not.toContain(sandbox.credentials.apiV3Key);
      const again = await startHub({ dataDir, port: 0, clock: t.clock, log: t.log });
      try {
        expect(again.merchants.credentialsFor(sandbox.credentials.mchid)?.credentials.apiV3Key).toBe(sandbox.credentials.apiV3Key);
      } finally {
        await again.close();
      }
    } finally {
      await sandbox.close();
      rmSync(t.dataDir, { recursive: true, force: true });
    }
  });
});
