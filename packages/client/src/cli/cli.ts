import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { Message, TicketPriority, TicketStatus } from '@parley/protocol';
import WebSocket from 'ws';
import { createParleyClient, type ParleyClient } from '../client';
import { ParleyError } from '../errors';
import { newClientMsgId } from '../outbox';
import { fileStorage } from './file-storage';

const USAGE = `parley: a command-line Parley client

  parley login <login> <password> [--server URL]      sign in (remembered in ~/.parley)
  parley register <email> <username> <password> [--server URL]
  parley whoami
  parley tickets [--status S] [--q TEXT]               the tickets you may see
  parley open <subject> <description> [--priority P]   open a ticket
  parley send <conversation-or-ticket-id> <text>       send one message
  parley tail <conversation-or-ticket-id>              follow live; lines you type are sent
  parley logout

The server defaults to $PARLEY_SERVER or http://127.0.0.1:3000; state lives in $PARLEY_HOME
(default ~/.parley).`;

const home = process.env.PARLEY_HOME ?? path.join(os.homedir(), '.parley');
const storage = fileStorage(path.join(home, 'state.json'));

async function clientFor(server?: string): Promise<ParleyClient> {
  const baseUrl =
    server ?? (await storage.getItem('parley.server')) ?? process.env.PARLEY_SERVER ?? 'http://127.0.0.1:3000';
  await storage.setItem('parley.server', baseUrl);
  return createParleyClient({
    baseUrl,
    storage,
    WebSocket: WebSocket,
    onSignedOut: () => console.error('Signed out: run `parley login` again.'),
  });
}

/** A ticket id works wherever a conversation id does: it means the ticket's thread. */
async function conversationIdOf(client: ParleyClient, id: string): Promise<string> {
  try {
    return (await client.conversations.get(id)).id;
  } catch (error) {
    if (!(error instanceof ParleyError) || error.status !== 404) throw error;
    return (await client.tickets.get(id)).conversationId;
  }
}

/** Prints messages as `[seq] Name: body`, names looked up once per sender. */
function printer(client: ParleyClient) {
  const names = new Map<string, Promise<string>>();
  const nameOf = (id: string) => {
    if (!names.has(id)) {
      names.set(
        id,
        client.users.get(id).then(
          (u) => u.displayName,
          () => id.slice(-6),
        ),
      );
    }
    return names.get(id)!;
  };
  return async (message: Message) => {
    if (message.kind === 'system') return console.log(`[${message.seq}] * ${message.body}`);
    const who = message.senderId ? await nameOf(message.senderId) : '?';
    const note = message.kind === 'note' ? ' (internal note)' : '';
    const body = message.deletedAt ? '(deleted)' : message.body;
    console.log(`[${message.seq}] ${who}${note}: ${body}`);
  };
}

async function tail(client: ParleyClient, conversationId: string): Promise<void> {
  const print = printer(client);
  const history = await client.conversations.messages(conversationId, { limit: 20 });
  for (const message of history.items) await print(message);
  const lastSeq = history.items.at(-1)?.seq ?? 0;

  // Print in arrival order even though names are looked up asynchronously.
  let printing = Promise.resolve();
  client.realtime.on('message', (frame) => {
    if (frame.message.conversationId === conversationId) printing = printing.then(() => print(frame.message));
  });
  client.realtime.on('status', (status) => {
    if (status === 'reconnecting' || status === 'offline' || status === 'signed-out') console.error(`(${status})`);
  });
  client.realtime.on('subscribed', (frame) => {
    if (frame.conversationId === conversationId) console.error('-- live: type a line to send it, Ctrl-D to leave --');
  });
  client.realtime.on('error', (frame) => console.error(`error ${frame.code}: ${frame.message}`));
  client.outbox.on('change', (pending) => {
    for (const m of pending) if (m.state === 'failed') console.error(`not sent (${m.error?.code}): ${m.body}`);
  });
  client.realtime.subscribe(conversationId, lastSeq);
  await client.connect();

  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim()) void client.outbox.send(conversationId, line);
  });
  await new Promise<void>((resolve) => {
    input.on('close', resolve);
    process.once('SIGINT', resolve);
  });
  // Let the outbox drain what was typed last before leaving.
  for (let i = 0; i < 50 && client.outbox.list().some((m) => m.state === 'pending'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  client.realtime.close();
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      status: { type: 'string' },
      q: { type: 'string' },
      priority: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  const client = await clientFor(values.server);
  const need = (count: number) => {
    if (args.length < count) throw new UsageError();
  };

  switch (command) {
    case 'login': {
      need(2);
      const { user } = await client.auth.login({ login: args[0]!, password: args[1]! });
      return console.log(`Signed in as ${user.displayName} (${user.role})`);
    }
    case 'register': {
      need(3);
      const { user } = await client.auth.register({ email: args[0]!, username: args[1]!, password: args[2]! });
      return console.log(`Registered and signed in as ${user.username} (${user.role})`);
    }
    case 'whoami': {
      const me = await client.me.get();
      return console.log(`${me.displayName} <${me.email}> ${me.role} ${me.id}`);
    }
    case 'tickets': {
      const page = await client.tickets.list({
        ...(values.status && { status: values.status as TicketStatus }),
        ...(values.q && { q: values.q }),
      });
      for (const t of page.items) console.log(`${t.id}  ${t.status.padEnd(11)} ${t.priority.padEnd(6)} ${t.subject}`);
      return;
    }
    case 'open': {
      need(2);
      const ticket = await client.tickets.create({
        subject: args[0]!,
        description: args[1]!,
        ...(values.priority && { priority: values.priority as TicketPriority }),
      });
      return console.log(`Opened ticket ${ticket.id} (thread ${ticket.conversationId})`);
    }
    case 'send': {
      need(2);
      const conversationId = await conversationIdOf(client, args[0]!);
      const message = await client.conversations.send(conversationId, {
        clientMsgId: newClientMsgId(),
        body: args.slice(1).join(' '),
      });
      return console.log(`Sent as #${message.seq}`);
    }
    case 'tail':
      need(1);
      return tail(client, await conversationIdOf(client, args[0]!));
    case 'logout':
      await client.logout();
      return console.log('Signed out');
    default:
      throw new UsageError();
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(USAGE);
    else if (error instanceof ParleyError) console.error(`${error.code}: ${error.message}`);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
