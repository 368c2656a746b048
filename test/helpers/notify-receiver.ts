import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../shared/clock';
import type { Sandbox } from '../../electron/sandbox/server';
import type { NotificationResult } from '../../electron/wechat/notification';
import { decodeV2Notification, v2NotificationAnswer } from '../../electron/wechat/v2/notification';
import { createV3NotificationDecoder, v3NotificationAnswer, type V3NotificationDecoder } from '../../electron/wechat/v3/notification';

/**
 * A merchant's notify_url for tests: a real HTTP server that verifies every delivery with the production
 * decoders (both v3 keys loaded, as during a switch-over) and answers as the hub will. `failNext` makes the next
 * deliveries answer an error regardless (to watch WeChat's retries).
 */

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  result: NotificationResult;
  answeredStatus: number;
}

export interface NotifyReceiver {
  url(path: '/v2' | '/v3'): string;
  received: Received[];
  /** The next `count` deliveries get this HTTP status (v3) / a FAIL answer (v2) whatever they contain. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export function decoderFor(sandbox: Sandbox, clock: Clock, keys: 'both' | 'public-key' | 'platform-certificate' = 'both'): V3NotificationDecoder {
  const c = sandbox.credentials;
  return createV3NotificationDecoder({
    apiV3Key: c.apiV3Key,
    wechatPayPublicKeys: keys === 'platform-certificate' ? [] : [{ id: c.wechatPayPublicKeyId, pem: c.wechatPayPublicKeyPem }],
    platformCertificates: keys === 'public-key' ? [] : [sandbox.platformCertificate],
    clock,
    mchid: c.mchid,
  });
}

export async function startNotifyReceiver(sandbox: Sandbox, clock: Clock): Promise<NotifyReceiver> {
  const v3 = decoderFor(sandbox, clock);
  const received: Received[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const result = path === '/v2' ? decodeV2Notification(body, { apiKey: sandbox.credentials.apiKeyV2, mchid: sandbox.credentials.mchid }) : v3.decode(body, req.headers);
      const forced = failures.count > 0;
      if (forced) failures = { ...failures, count: failures.count - 1 };
      const outcome = forced ? { kind: 'failed' as const } : result.ok ? { kind: 'accepted' as const } : { kind: 'refused' as const, reason: result.reason };
      const answer = path === '/v2' ? v2NotificationAnswer(outcome) : v3NotificationAnswer(outcome);
      const status = forced && path === '/v3' ? failures.status : answer.status;
      received.push({ path, headers: req.headers, body, result, answeredStatus: status });
      res.writeHead(status, answer.headers).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    failNext: (count, status = 500) => {
      failures = { count, status };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
