import { createParleyClient, type ParleyClient } from '@parley/client';
import type { Message } from '@parley/protocol';
import { expect } from 'vitest';
import WebSocket from 'ws';

export const PASSWORD = 'correct horse battery';

export interface ChatClient {
  client: ParleyClient;
  /** Every live `message` frame, in arrival order. */
  received: Message[];
  /** Acked by the server: clientMsgId → seq. */
  acked: Map<string, number>;
  /** How many times the socket opened (1 means it never had to reconnect). */
  opened(): number;
  /** Queues messages in the outbox (stored before they go on the wire), returning their clientMsgIds. */
  send(conversationId: string, bodies: string[]): Promise<string[]>;
  /** Waits until the outbox is empty: every queued message acked. */
  drained(timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * A user on the real client SDK, as the app uses it: reconnects with backoff, resumes by seq,
 * resends its outbox. Backoff is short so a test's outage ends in seconds.
 */
export async function chatClient(baseUrl: string, login: string, follow: string[] = []): Promise<ChatClient> {
  const client = createParleyClient({ baseUrl, WebSocket, backoff: { initialMs: 50, maxMs: 400 } });
  await client.auth.login({ login, password: PASSWORD });
  const received: Message[] = [];
  const acked = new Map<string, number>();
  client.realtime.on('message', ({ message }) => void received.push(message));
  client.outbox.on('sent', ({ message, ack }) => void acked.set(message.clientMsgId, ack.seq));
  let opened = 0;
  client.realtime.on('status', (status) => void (status === 'open' && (opened += 1)));
  for (const conversationId of follow) client.realtime.subscribe(conversationId, 0);
  await client.connect();
  return {
    client,
    received,
    acked,
    opened: () => opened,
    async send(conversationId, bodies) {
      const ids: string[] = [];
      for (const body of bodies) ids.push((await client.outbox.send(conversationId, body)).clientMsgId);
      return ids;
    },
    async drained(timeoutMs = 20_000) {
      await expect.poll(() => client.outbox.list().length, { timeout: timeoutMs, interval: 50 }).toBe(0);
    },
    close: () => client.realtime.close(),
  };
}

/** The seqs a client received for one conversation, as they came. */
export const seqsOf = (chat: ChatClient, conversationId: string) =>
  chat.received.filter((m) => m.conversationId === conversationId).map((m) => m.seq);

/** 1..n */
export const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
