/**
 * A bot that acknowledges every new ticket. Parley POSTs it each `ticket.created` (a webhook);
 * it checks the signature and answers in the ticket's thread as the bot, with an API token.
 *
 *   1. An admin makes the bot and its token (scopes tickets:read, messages:write), with a role
 *      that may write in every ticket (tickets.work + tickets.all): POST /bots, POST /bots/{id}/api-tokens
 *   2. and a webhook to this program for `ticket.created`: POST /webhooks
 *   3. PARLEY_URL=https://parley.example PARLEY_TOKEN=pat_… PARLEY_WEBHOOK_SECRET=whsec_… PORT=8787 \
 *        npx tsx packages/client/examples/ack-bot.ts
 *
 * An answer other than 2xx makes Parley send the event again later; the message's clientMsgId is
 * the event's id, so a retry never writes twice.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookPayload } from '@parley/protocol';
import { createRestClient } from '../src/rest';
import { verifyWebhookSignature } from '../src/webhook-signature';

export interface AckBotOptions {
  parleyUrl: string;
  /** The bot's API token. */
  token: string;
  /** The webhook's secret. */
  secret: string;
  port?: number;
  host?: string;
}

export async function startAckBot({ parleyUrl, token, secret, port = 8787, host = '127.0.0.1' }: AckBotOptions) {
  const parley = createRestClient({ baseUrl: parleyUrl, apiToken: token });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handle(body, request.headers['parley-signature'])
        .then((status) => response.writeHead(status).end())
        .catch((error: unknown) => {
          console.error('ack-bot:', error);
          response.writeHead(500).end(); // Parley tries again later
        });
    });
  });

  async function handle(body: string, signature: string | string[] | undefined): Promise<number> {
    if (typeof signature !== 'string' || !(await verifyWebhookSignature({ secret, header: signature, body }))) {
      return 401;
    }
    const event = JSON.parse(body) as WebhookPayload;
    if (event.type !== 'ticket.created') return 204; // a ping, or an event this bot does not answer
    const { ticket } = event.data;
    await parley.conversations.send(ticket.conversationId, {
      clientMsgId: `ack-${event.id}`,
      body: `Thanks for writing! We have your request “${ticket.subject}” and will answer soon.`,
    });
    return 200;
  }

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const env = (name: string) => process.env[name] ?? (console.error(`${name} is not set`), process.exit(1));
  const bot = await startAckBot({
    parleyUrl: env('PARLEY_URL'),
    token: env('PARLEY_TOKEN'),
    secret: env('PARLEY_WEBHOOK_SECRET'),
    port: Number(process.env.PORT ?? 8787),
    host: process.env.HOST ?? '127.0.0.1',
  });
  console.log(`ack-bot listening at ${bot.url}`);
}
