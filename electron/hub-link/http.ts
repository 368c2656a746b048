/** The one side effect of the hub link: an HTTP request with a time limit. Passed in from app.ts; tests use real HTTP. */
export interface HubHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
}

export interface HubHttpResponse {
  status: number;
  text: string;
}

export type HubHttp = (request: HubHttpRequest) => Promise<HubHttpResponse>;

/** Largest answer read from a hub; anything longer is cut off and refused as malformed. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** Node's fetch, with a timeout and a cap on what is read. Throws on network failure or timeout. */
export const fetchHubHttp: HubHttp = async (request) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: { ...request.headers, ...(request.body === null ? {} : { 'content-type': 'application/json' }) },
    body: request.body ?? undefined,
    signal: AbortSignal.timeout(request.timeoutMs),
    redirect: 'error',
  });
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel();
        break;
      }
      chunks.push(value);
    }
  }
  return { status: response.status, text: Buffer.concat(chunks).toString('utf8') };
};
