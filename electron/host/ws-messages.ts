import { z } from 'zod';
import { fail, type Result } from '../../shared/result';

/**
 * The one message a window sends over the web host's WebSocket. Everything else (`null`, `42`, `"x"`, `[]`,
 * broken JSON, binary frames, wrong-typed fields) is refused with an answer, never read further.
 */
export const wsCallSchema = z
  .object({
    type: z.literal('call'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    method: z.string().min(1).max(128),
    /** Checked against the method's own schema by the dispatcher. */
    request: z.unknown().optional(),
  })
  .strict();

export type WsCall = z.infer<typeof wsCallSchema>;

/** What the host answers to a message it cannot take: a result when the message had a usable id, else an error. */
export type WsRefusal = { type: 'result'; id: number; result: Result<never> } | { type: 'error'; code: 'BAD_MESSAGE'; message: string };

const EXPECTED = '消息格式无效，应为 {type:"call", id, method, request} / malformed message: expected {type:"call", id, method, request}';

/** Parses one text frame: the call, or the refusal to send back (answering the call id when there is one). */
export function parseWsMessage(text: string): { call: WsCall } | { refusal: WsRefusal } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { refusal: { type: 'error', code: 'BAD_MESSAGE', message: `${EXPECTED} (JSON)` } };
  }
  const parsed = wsCallSchema.safeParse(value);
  if (parsed.success) return { call: parsed.data };
  const id = usableId(value);
  const where = parsed.error.issues[0]?.path.join('.') || '(message)';
  if (id === null) return { refusal: { type: 'error', code: 'BAD_MESSAGE', message: `${EXPECTED}: ${where}` } };
  return {
    refusal: {
      type: 'result',
      id,
      result: fail('BAD_MESSAGE', `${EXPECTED}: ${where}`, { zh: `消息格式无效：${where}`, en: `Malformed message: ${where}` }),
    },
  };
}

/** The id of a message that is an object with a whole, non-negative number as its id; anything else has none. */
function usableId(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
