import type { IncomingMessage, ServerResponse } from 'node:http';
import { WECHAT_NOTIFY_PATHS } from '../../../shared/hub-wechat-admin-api';
import { DEFAULT_MAX_NOTIFICATION_BYTES, type NotificationRefusalReason, type WechatNotification } from '../../wechat/notification';
import { v2NotificationAnswer } from '../../wechat/v2/notification';
import { v3NotificationAnswer, type NotificationAnswer } from '../../wechat/v3/notification';
import type { HubContext } from './context';
import { HubHttpError, readBody } from './io';

/**
 * WeChat Pay's notify_url at the hub: `POST /wechatpay/v3/notify` (JSON, headers Wechatpay-*) and `POST
 * /wechatpay/v2/notify` (XML), payments and refunds alike. Verified with the merchant's keys (notify/decode.ts),
 * recorded exactly once with its effect (notify/record.ts, through notify/recorder.ts), then a hint goes to the counter that owns the order.
 *
 * Answers: received (new or a copy already recorded) → v3 204 / v2 200 SUCCESS, so WeChat stops. Refused (size,
 * headers, stale, signature, key, decryption, shape, merchant) → 4xx (v2 too, with a FAIL body), logged with its
 * reason and nothing else, nothing recorded; WeChat retries, which lets a notice signed with a key the owner has
 * not entered yet pass once it is. Database failure → 500, WeChat retries.
 */
export async function routeNotify(ctx: HubContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const api = url.pathname === WECHAT_NOTIFY_PATHS.v3 ? 'v3' : url.pathname === WECHAT_NOTIFY_PATHS.v2 ? 'v2' : null;
  if (api === null) return false;
  if (req.method !== 'POST') throw new HubHttpError(405, 'NOT_FOUND', '只接受 POST / POST only', { allow: 'POST' });
  const answerOf = (outcome: { kind: 'accepted' } | { kind: 'refused'; reason: NotificationRefusalReason } | { kind: 'failed' }): NotificationAnswer => {
    if (api === 'v3') return v3NotificationAnswer(outcome);
    const answer = v2NotificationAnswer(outcome);
    return { ...answer, status: outcome.kind === 'refused' ? 400 : outcome.kind === 'failed' ? 500 : answer.status };
  };
  let raw: Buffer;
  try {
    raw = await readBody(req, DEFAULT_MAX_NOTIFICATION_BYTES);
  } catch (error) {
    if (!(error instanceof HubHttpError) || error.status !== 413) throw error;
    ctx.log.warn('hub: WeChat notification refused', { api, reason: 'BODY_TOO_LARGE', from: req.socket.remoteAddress });
    send(res, answerOf({ kind: 'refused', reason: 'BODY_TOO_LARGE' }), true);
    return true;
  }
  const result = api === 'v3' ? ctx.notifications.decodeV3(raw, req.headers) : ctx.notifications.decodeV2(raw);
  if (!result.ok) {
    // The reason and its detail never carry a key, a signature or plaintext (electron/wechat/notification.ts).
    ctx.log.warn('hub: WeChat notification refused', { api, reason: result.reason, detail: result.detail, from: req.socket.remoteAddress });
    send(res, answerOf({ kind: 'refused', reason: result.reason }));
    return true;
  }
  const n = result.notification;
  let recorded;
  try {
    recorded = await ctx.notificationRecorder.record(n, ctx.clock.now());
  } catch (error) {
    ctx.log.error('hub: could not record a WeChat notification; WeChat will retry', { api, mchid: n.mchid, id: n.id, error: error instanceof Error ? error.message : String(error) });
    send(res, answerOf({ kind: 'failed' }));
    return true;
  }
  ctx.log.info('hub: WeChat notification', { api, mchid: n.mchid, id: n.id, event: n.eventType, outTradeNo: n.outTradeNo, outcome: recorded.outcome });
  if (recorded.outcome !== 'duplicate' && recorded.outcome !== 'mismatch' && recorded.terminalId !== null) publishHint(ctx, recorded.terminalId, n);
  send(res, answerOf({ kind: 'accepted' }));
  return true;
}

function publishHint(ctx: HubContext, terminalId: string, n: WechatNotification): void {
  if (n.kind === 'payment' && n.tradeState !== 'SUCCESS') return;
  if (n.kind === 'refund' && n.refundStatus !== 'SUCCESS') return;
  ctx.hints.publish(terminalId, { type: 'hint', kind: n.kind === 'payment' ? 'paid' : 'refunded', outTradeNo: n.outTradeNo, outRefundNo: n.kind === 'refund' ? n.outRefundNo : null });
}

function send(res: ServerResponse, answer: NotificationAnswer, close = false): void {
  res.writeHead(answer.status, { ...answer.headers, 'cache-control': 'no-store', ...(close ? { connection: 'close' } : {}) });
  res.end(answer.body);
}
