import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** One POST of a notification to the merchant's notify_url, as WeChat's sender makes it. Real network, real time. */

export interface DeliveryAnswer {
  status: number;
  body: string;
}

export type PostNotification = (url: string, headers: Record<string, string>, body: string) => Promise<DeliveryAnswer>;

/** WeChat gives a receiver a few seconds; an answer later than this counts as no answer. */
export const DELIVERY_TIMEOUT_MS = 5_000;
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * `extraCaPems`: certificates to trust besides the public roots, so a hub on this machine with its own CA can be
 * reached over HTTPS (the real sender trusts only public CAs).
 */
export function createPoster(extraCaPems: readonly string[] = []): PostNotification {
  const ca = extraCaPems.length > 0 ? [...rootCertificates, ...extraCaPems] : undefined;
  return (url, headers, body) =>
    new Promise<DeliveryAnswer>((resolve, reject) => {
      const target = new URL(url);
      const payload = Buffer.from(body, 'utf8');
      const options = {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(payload.length), 'User-Agent': 'Mozilla/4.0 (sandbox; WeChatPay notify)' },
        timeout: DELIVERY_TIMEOUT_MS,
        ...(ca ? { ca } : {}),
      };
      const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
}

/**
 * v3 orders must name an https notify_url. The sandbox also takes plain http on the loopback interface, so a test
 * receiver or a hub on this machine needs no certificate (the live service would refuse it).
 */
export function isAcceptedV3NotifyUrl(text: string): boolean {
  if (!isDeliverableUrl(text)) return false;
  const url = new URL(text);
  return url.protocol === 'https:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** notify_url must be an absolute http(s) URL without credentials; anything else is never called. */
export function isDeliverableUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
