import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';

/**
 * Kept-alive connections to the WeChat host without turning a charge into an unknown outcome.
 *
 * A reused socket the server has already closed is the one way keep-alive can hurt a payment: the request goes out
 * on a dead socket and comes back as ECONNRESET, and after bytes were written nobody can tell whether WeChat read
 * them. Three rules keep that out of the payment path:
 * - idle sockets are closed by us first: `idleMs` is shorter than the server's idle timeout, and Node's agent lowers
 *   it further to the server's `Keep-Alive: timeout=N` hint minus one second when the server sends one;
 * - before a request may reuse an idle socket, the event loop is given one poll phase, so a FIN or RST the kernel
 *   already holds is read and the agent drops that socket (see `letPendingClosesArrive`);
 * - when the agent still hands out a socket that is closing, the request is stopped before its first byte is
 *   written (`isClosing`, checked on the request's 'socket' event, which Node emits just before it flushes the
 *   request): that request is known not sent and is retried at once on a fresh connection.
 * Whatever happens once bytes were written is reported as before (network / timeout → unknown outcome).
 */

/** Idle time after which we close a kept connection ourselves, well under common server timeouts (nginx: 75 s). */
export const DEFAULT_IDLE_MS = 20_000;
/** A counter sends one call at a time; the outbox drain a few. More idle connections would only cost the server. */
const MAX_IDLE_SOCKETS = 4;

export type KeepAliveAgent = http.Agent | https.Agent;

export function createKeepAliveAgent(isHttps: boolean, idleMs: number, secureContext?: SecureContext): KeepAliveAgent {
  // `timeout` is the idle timeout of a free socket (the agent destroys a free socket on 'timeout'); requests have
  // their own connect and total timers in transport.ts.
  const options = { keepAlive: true, maxFreeSockets: MAX_IDLE_SOCKETS, timeout: idleMs, scheduling: 'lifo' as const };
  return isHttps ? new https.Agent({ ...options, ...(secureContext ? { secureContext } : {}) }) : new http.Agent(options);
}

export function idleSocketCount(agent: KeepAliveAgent): number {
  return Object.values(agent.freeSockets).reduce((sum, list) => sum + (list?.length ?? 0), 0);
}

export function busySocketCount(agent: KeepAliveAgent): number {
  return Object.values(agent.sockets).reduce((sum, list) => sum + (list?.length ?? 0), 0);
}

/** Closes every idle socket of the agent, so the next request opens a fresh connection. */
export function dropIdleSockets(agent: KeepAliveAgent): void {
  for (const list of Object.values(agent.freeSockets)) for (const socket of [...(list ?? [])]) socket.destroy();
}

/**
 * Lets one poll phase of the event loop run when an idle socket may be reused: a close the kernel already received
 * is then seen by Node (the socket ends, the agent forgets it) before a request is put on it. Two setImmediate hops
 * guarantee a poll phase in between, whichever phase called us; it costs microseconds, not a round trip.
 */
export async function letPendingClosesArrive(agent: KeepAliveAgent): Promise<void> {
  if (idleSocketCount(agent) === 0) return;
  await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
  // A socket whose FIN was read but whose 'close' (which makes the agent forget it) has not fired yet is dropped
  // here, so neither a request nor the pre-connect's "is a connection warm?" takes it for a live one.
  for (const list of Object.values(agent.freeSockets)) for (const socket of [...(list ?? [])]) if (isClosing(socket)) socket.destroy();
}

/** A socket the server closed or reset, or that is being torn down: nothing written on it can be trusted to leave. */
export function isClosing(socket: Socket): boolean {
  return socket.destroyed || !socket.writable || socket.readableEnded || socket.readyState !== 'open';
}
