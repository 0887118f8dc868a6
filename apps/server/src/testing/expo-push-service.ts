import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A stand-in for Expo's push API on loopback, for tests: `POST /--/api/v2/push/send` with a JSON
 * array of messages answers `{ data: [ticket…] }`, one ticket per message, as Expo does. Answers
 * per token can be scripted: a ticket error (`DeviceNotRegistered` …) or an HTTP status.
 * `POST /--/api/v2/push/getReceipts` with `{ ids }` answers the receipts of accepted pushes:
 * `ok`, or what `receipt(token, …)` scripted for that token's next pushes.
 */
export interface ExpoRequest {
  headers: http.IncomingHttpHeaders;
  messages: Array<Record<string, unknown> & { to: string }>;
}

type ExpoAnswer = 'ok' | { ticketError: string } | { status: number; headers?: Record<string, string> };

export interface TestExpoPushService {
  /** The send URL, for EXPO_PUSH_URL. */
  sendUrl: string;
  answer(token: string, ...answers: ExpoAnswer[]): void;
  /** What the receipts of the token's next accepted pushes say: `ok`, or an error such as DeviceNotRegistered. */
  receipt(token: string, ...receipts: Array<'ok' | { error: string }>): void;
  /** The receipt ids asked for so far. */
  receiptRequests(): string[][];
  requests(): ExpoRequest[];
  close(): Promise<void>;
}

export const SEND_PATH = '/--/api/v2/push/send';
export const RECEIPTS_PATH = '/--/api/v2/push/getReceipts';

export async function startTestExpoPushService(): Promise<TestExpoPushService> {
  const scripted = new Map<string, ExpoAnswer[]>();
  const scriptedReceipts = new Map<string, Array<'ok' | { error: string }>>();
  const receipts = new Map<string, Record<string, unknown>>();
  const receiptRequests: string[][] = [];
  const seen: ExpoRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      if (request.method === 'POST' && request.url === RECEIPTS_PATH) {
        const { ids } = JSON.parse(text) as { ids: string[] };
        receiptRequests.push(ids);
        const data = Object.fromEntries(ids.flatMap((id) => (receipts.has(id) ? [[id, receipts.get(id)]] : [])));
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
        return;
      }
      if (request.method !== 'POST' || request.url !== SEND_PATH) {
        response.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(text) as ExpoRequest['messages'] | ExpoRequest['messages'][number];
      const messages = Array.isArray(parsed) ? parsed : [parsed];
      seen.push({ headers: request.headers, messages });
      const answers = messages.map((m) => scripted.get(m.to)?.shift() ?? 'ok');
      const failure = answers.find((a): a is { status: number } => typeof a === 'object' && 'status' in a);
      if (failure) {
        const { status, headers } = failure as { status: number; headers?: Record<string, string> };
        response
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'Scripted failure' }] }));
        return;
      }
      const data = messages.map((m, i) => {
        const answer = answers[i]!;
        if (answer === 'ok') {
          const id = crypto.randomUUID();
          const receipt = scriptedReceipts.get(m.to)?.shift() ?? 'ok';
          receipts.set(
            id,
            receipt === 'ok'
              ? { status: 'ok' }
              : { status: 'error', message: `Scripted ${receipt.error}`, details: { error: receipt.error } },
          );
          return { status: 'ok', id };
        }
        const error = (answer as { ticketError: string }).ticketError;
        return {
          status: 'error',
          message: `"${m.to}" is not a registered push notification recipient`,
          details: { error, expoPushToken: m.to },
        };
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    sendUrl: base + SEND_PATH,
    answer(token, ...answers) {
      scripted.set(token, [...(scripted.get(token) ?? []), ...answers]);
    },
    receipt(token, ...answers) {
      scriptedReceipts.set(token, [...(scriptedReceipts.get(token) ?? []), ...answers]);
    },
    receiptRequests: () => [...receiptRequests],
    requests: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
