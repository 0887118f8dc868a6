import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body, parsed. */
  json: { id: string; type: string; data: Record<string, unknown> } & Record<string, unknown>;
}

type Answer = { status: number; headers?: Record<string, string>; body?: string };

/**
 * A real HTTP endpoint on loopback for webhook tests: records every request, and answers as the
 * test says (`answer`), by default 200. `hold()` keeps the next answers back until released,
 * to see what is in flight.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let answer: (request: ReceivedWebhook, n: number) => Answer = () => ({ status: 200, body: 'ok' });
  let held: (() => void)[] | null = null;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const hook: ReceivedWebhook = {
        headers: request.headers,
        body,
        json: JSON.parse(body) as ReceivedWebhook['json'],
      };
      received.push(hook);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const reply = () => {
        inFlight -= 1;
        const { status, headers = {}, body: text = '' } = answer(hook, received.length);
        response.writeHead(status, headers).end(text);
      };
      if (held) held.push(reply);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    /** Most requests it had open at once. */
    maxInFlight: () => maxInFlight,
    answerWith(next: (request: ReceivedWebhook, n: number) => Answer) {
      answer = next;
    },
    hold() {
      held ??= [];
    },
    release() {
      const waiting = held ?? [];
      held = null;
      for (const reply of waiting) reply();
    },
    types: () => received.map((r) => r.json.type),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
