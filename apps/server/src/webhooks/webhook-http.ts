import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { guardedLookup, hostOf, RefusedTargetError, type AddressPolicy } from './webhook-target';

/** How one attempt went: an HTTP answer (any status), or none (`error`). */
export interface PostOutcome {
  status: number | null;
  /** The start of the answer's body. */
  body: string | null;
  error: string | null;
  durationMs: number;
  /** `Retry-After` of a 429 or 503, in ms. */
  retryAfterMs: number | null;
}

export interface PostOptions {
  mayConnect: AddressPolicy;
  /** The whole attempt: connecting, every redirect and the answer. */
  timeoutMs: number;
  now: () => number;
}

/** Of an answer's body, what is read (the rest is dropped) and what is kept for the log. */
const READ_BYTES = 64 * 1024;
export const KEPT_BODY_CHARS = 1024;
const MAX_REDIRECTS = 3;

// Own agents: their pooled sockets were all opened through the guarded lookup.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * POSTs `body` to `url`. Follows only 307 and 308 (which keep the method and body), at most
 * three; any other redirect is an answer like any other non-2xx.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostOutcome> {
  const started = options.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  const lookup = guardedLookup(options.mayConnect);
  const outcome = (fields: Partial<PostOutcome>): PostOutcome => ({
    status: null,
    body: null,
    error: null,
    retryAfterMs: null,
    ...fields,
    durationMs: Math.max(0, options.now() - started),
  });
  let target = new URL(url);
  try {
    for (let hop = 0; ; hop += 1) {
      const host = hostOf(target);
      // A literal address skips the lookup: check it here.
      if (net.isIP(host) && !options.mayConnect(host)) {
        throw new RefusedTargetError(`${host} is a private, loopback or link-local address; webhooks may not reach it`);
      }
      const answer = await send(target, body, headers, lookup, signal);
      const location = answer.headers.location;
      if ((answer.status === 307 || answer.status === 308) && location && hop < MAX_REDIRECTS) {
        target = new URL(location, target);
        if (target.protocol !== 'http:' && target.protocol !== 'https:') break;
        continue;
      }
      return outcome({
        status: answer.status,
        body: answer.body.slice(0, KEPT_BODY_CHARS),
        retryAfterMs: answer.status === 429 || answer.status === 503 ? retryAfter(answer.headers['retry-after']) : null,
      });
    }
    return outcome({ error: 'Redirected to a URL that is not http or https' });
  } catch (error) {
    return outcome({ error: describe(error, signal) });
  }
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  target: URL,
  body: string,
  headers: Record<string, string>,
  lookup: net.LookupFunction,
  signal: AbortSignal,
): Promise<Answer> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as 'http:' | 'https:'],
        lookup,
        signal,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          if (read >= READ_BYTES) return;
          chunks.push(chunk);
          read += chunk.length;
          // Enough to log: stop reading (the socket is not reused).
          if (read >= READ_BYTES) response.destroy();
        });
        const done = () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        response.on('end', done);
        response.on('close', done);
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function retryAfter(value: string | undefined): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function describe(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'Timed out';
  if (error instanceof RefusedTargetError) return error.message;
  const { code, message } = error as NodeJS.ErrnoException;
  return (code ? `${code}: ${message}` : String(message ?? error)).slice(0, 500);
}
