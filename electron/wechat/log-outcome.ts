import type { LogFields } from '../../shared/log';
import type { ClientContext } from './config';
import { MalformedAnswer, unknown } from './outcome';
import type { ApiVersion, WechatOutcome } from './types';

/**
 * Runs one operation, turns any unexpected exception into an unknown outcome (fail closed: a bug must never look
 * like a definite failure), and writes one log line. `ref` holds only merchant-side ids (out_trade_no and the
 * like), never a payment code, openid or key; details were scrubbed where they were made.
 */
export async function runLogged<T>(
  ctx: ClientContext,
  api: ApiVersion,
  op: string,
  ref: LogFields,
  run: () => Promise<WechatOutcome<T>>,
): Promise<WechatOutcome<T>> {
  const started = ctx.clock.now();
  let outcome: WechatOutcome<T>;
  try {
    outcome = await run();
  } catch (error) {
    if (error instanceof MalformedAnswer) {
      outcome = unknown('malformed', ctx.scrub(error.message));
    } else {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      outcome = unknown('malformed', ctx.scrub(`client error: ${message}`));
    }
  }
  const fields: LogFields = { api, op, ...ref, outcome: outcome.kind, ms: ctx.clock.now() - started };
  if (outcome.kind === 'success') {
    ctx.logger.info('wechat pay call', fields);
  } else if (outcome.kind === 'failure') {
    ctx.logger.warn('wechat pay call failed', { ...fields, code: outcome.code, detail: outcome.detail });
  } else {
    ctx.logger.warn('wechat pay call outcome unknown', {
      ...fields,
      cause: outcome.cause,
      code: outcome.code,
      detail: outcome.detail,
    });
  }
  return outcome;
}
