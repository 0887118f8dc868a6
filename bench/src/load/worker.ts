/**
 * One load-generator process. The orchestrator (run.ts) starts one or more of these and drives
 * them step by step over IPC: connect clients, send for a while, drop and reconnect, close.
 * Results are plain JSON (histograms compressed), merged by the orchestrator.
 */
import { DRIVERS, type BenchConnection, type DriverName } from './drivers';
import {
  decodeBody,
  encodeBody,
  encodeHistogram,
  newHistogram,
  now,
  ReceiptBook,
  recordSince,
  type Histogram,
} from './ledger';
import type {
  ClientSpec,
  Command,
  ConnectResult,
  HabitFrames,
  Habits,
  Reply,
  RoomLedger,
  SendResult,
  SenderSpec,
} from './worker-protocol';

const workerId = process.env.BENCH_WORKER_ID ?? '0';

interface Client {
  /** `w<worker>c<index>`: its messages' senders are this plus `r<room index>`. */
  id: string;
  spec: ClientSpec;
  connection: BenchConnection | null;
  /** Highest resume position seen per room (seq on Parley, row id on the peer). */
  position: Map<string, number>;
  books: Map<string, ReceiptBook>;
  /** While a `send` step gives it habits: reads and presence follow them. */
  habits: Habits | null;
  /** Messages from others per room since this client's last `read` there, and when that was. */
  unread: Map<string, number>;
  readAt: Map<string, number>;
  status: 'online' | 'away';
}

interface InFlight {
  client: Client;
  room: string;
  sender: string;
  sentAt: number;
}

let driver: DriverName = 'parley';
let clients: Client[] = [];
const inFlight = new Map<string, InFlight>();
const ackedBy = new Map<string, Map<string, number>>(); // room -> sender -> acked count
const counters = new Map<string, number>(); // sender -> last n
let errors = 0;
const errorSamples: string[] = [];
let lost = 0; // connections that ended on their own
let habitFrames: HabitFrames = { typing: 0, read: 0, presence: 0 };

// Measurement state of the current `send` step.
let ackHistogram: Histogram = newHistogram();
let deliverHistogram: Histogram = newHistogram();
let windowStart = 0;
let windowEnd = Infinity;
let deliveredInWindow = 0;
let ackedInWindow = 0;
let lastDeliveryAt = 0;

function noteError(message: string) {
  errors++;
  if (errorSamples.length < 5) errorSamples.push(message);
}

async function open(client: Client, resume: boolean): Promise<void> {
  const connection = await DRIVERS[driver](client.spec.url, client.spec.token, {
    onAck(clientMsgId) {
      const pending = inFlight.get(clientMsgId);
      if (!pending) return;
      inFlight.delete(clientMsgId);
      const at = now();
      recordSince(ackHistogram, pending.sentAt, at);
      if (at >= windowStart && at <= windowEnd) ackedInWindow++;
      const bySender = ackedBy.get(pending.room) ?? new Map<string, number>();
      ackedBy.set(pending.room, bySender.set(pending.sender, (bySender.get(pending.sender) ?? 0) + 1));
      const max = maxSenders.get(pending.client);
      if (max) sendOne(pending.client, pickRoom(max));
    },
    onMessage(room, body, position) {
      const at = now();
      const { sender, n, sentAt } = decodeBody(body);
      if (position > (client.position.get(room) ?? 0)) client.position.set(room, position);
      if (!client.books.get(room)?.record(sender, n)) return;
      lastDeliveryAt = at;
      recordSince(deliverHistogram, sentAt, at);
      if (at >= windowStart && at <= windowEnd) deliveredInWindow++;
      if (client.habits && !sender.startsWith(`${client.id}r`)) readLater(client, room, at);
    },
    onError: noteError,
    onLost: () => lost++,
  });
  client.connection = connection;
  if (client.spec.joins === false) return;
  for (const room of client.spec.rooms) {
    if (!client.books.has(room)) client.books.set(room, new ReceiptBook());
    await connection.join(room, resume ? client.position.get(room) : undefined);
  }
}

/** Runs `work` over `items` with at most `limit` at a time; returns how many failed. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch((error: Error) => (failed++, noteError(error.message)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return failed;
}

/** Numbered per sender (a client in one room), so receivers can tell what is missing. */
function sendOne(client: Client, room: string) {
  const sender = `${client.id}r${client.spec.rooms.indexOf(room)}`;
  const n = (counters.get(sender) ?? 0) + 1;
  counters.set(sender, n);
  const sentAt = now();
  const clientMsgId = `${sender}_${n}`;
  inFlight.set(clientMsgId, { client, room, sender, sentAt });
  client.connection!.send(room, clientMsgId, encodeBody(sender, n, sentAt));
}

/** The sender's room, or one of its client's rooms at random. */
function pickRoom(s: SenderSpec): string {
  const { rooms } = clients[s.client]!.spec;
  const room = s.room ?? rooms[Math.floor(Math.random() * rooms.length)];
  if (room === undefined) throw new Error(`client ${s.client} sends but is in no room`);
  return room;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A random wait with the given mean, as between independent events (exponential). */
const randomWait = (meanMs: number) => -Math.log(1 - Math.random()) * meanMs;

/**
 * A fixed-rate sender within one step: its message k (1, 2, …) is due `(k − phase) / rate` s
 * in. Its next message's room is picked ahead, so a `typing` frame can go there first.
 */
interface Pace {
  spec: SenderSpec;
  client: Client;
  sent: number;
  nextRoom: string;
  /** A `typing` frame is still to announce the next message. */
  announce: boolean;
  /** Ms into the step of this client's next presence change. */
  presenceAt: number;
}

/** Fixed rate: tops each sender up to where its rate says it should be, every 5 ms. */
async function sendAtRate(senders: SenderSpec[], durationMs: number) {
  const paces = senders.map((spec): Pace => {
    const pace = { spec, client: clients[spec.client]!, sent: 0, nextRoom: '', announce: false, presenceAt: Infinity };
    if (spec.habits) pace.presenceAt = randomWait(spec.habits.presenceEveryMs);
    return planNext(pace);
  });
  const start = now();
  while (now() - start < durationMs) {
    const elapsedMs = now() - start;
    for (const pace of paces) keepPace(pace, elapsedMs);
    await sleep(5);
  }
}

function planNext(pace: Pace): Pace {
  pace.nextRoom = pickRoom(pace.spec);
  pace.announce = pace.spec.habits !== undefined && Math.random() < pace.spec.habits.typingShare;
  return pace;
}

function keepPace(pace: Pace, elapsedMs: number) {
  const { spec, client } = pace;
  const rate = spec.rate!;
  const phase = spec.phase ?? 0;
  const habits = spec.habits;
  if (habits && pace.announce && elapsedMs >= ((pace.sent + 1 - phase) / rate) * 1000 - habits.typingLeadMs) {
    pace.announce = false;
    if (client.connection?.typing) {
      client.connection.typing(pace.nextRoom);
      habitFrames.typing++;
    }
  }
  if (habits && elapsedMs >= pace.presenceAt) {
    pace.presenceAt += randomWait(habits.presenceEveryMs);
    client.status = client.status === 'online' ? 'away' : 'online';
    if (client.connection?.presence) {
      client.connection.presence(client.status);
      habitFrames.presence++;
    }
  }
  const due = Math.floor((elapsedMs / 1000) * rate + phase);
  for (; pace.sent < due; pace.sent++) {
    sendOne(client, pace.nextRoom);
    planNext(pace);
  }
}

/** Habits: a read receipt once enough came from others in a room, at most one per gap there. */
function readLater(client: Client, room: string, at: number) {
  const { readEvery, readGapMs } = client.habits!;
  const unread = (client.unread.get(room) ?? 0) + 1;
  client.unread.set(room, unread);
  if (unread < readEvery || at - (client.readAt.get(room) ?? -Infinity) < readGapMs) return;
  client.unread.set(room, 0);
  client.readAt.set(room, at);
  if (client.connection?.read) {
    client.connection.read(room, client.position.get(room)!);
    habitFrames.read++;
  }
}

/** Max rate: each sender keeps `window` messages unacked and sends the next as each is acked. */
const maxSenders = new Map<Client, SenderSpec>();

async function sendAtMax(senders: SenderSpec[], durationMs: number) {
  for (const s of senders) {
    const client = clients[s.client]!;
    maxSenders.set(client, s);
    for (let i = 0; i < s.window; i++) sendOne(client, pickRoom(s));
  }
  await sleep(durationMs);
  maxSenders.clear();
}

async function settle(quietMs: number, timeoutMs: number) {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    const quiet = now() - lastDeliveryAt > quietMs;
    if (inFlight.size === 0 && quiet) return;
    await sleep(50);
  }
}

function ledger(): RoomLedger[] {
  const rooms = new Map<string, RoomLedger>();
  const roomOf = (room: string) => {
    let entry = rooms.get(room);
    if (!entry) rooms.set(room, (entry = { room, acked: {}, receivers: [] }));
    return entry;
  };
  for (const [room, bySender] of ackedBy) roomOf(room).acked = Object.fromEntries(bySender);
  for (const client of clients) {
    for (const [room, book] of client.books) {
      roomOf(room).receivers.push({ counts: book.counts(), duplicates: book.duplicates });
    }
  }
  return [...rooms.values()];
}

async function handle(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'connect': {
      driver = command.driver;
      const added: Client[] = command.clients.map((spec, i) => ({
        id: `w${workerId}c${clients.length + i}`,
        spec,
        connection: null,
        position: new Map(),
        books: new Map(),
        habits: null,
        unread: new Map(),
        readAt: new Map(),
        status: 'online',
      }));
      const firstIndex = clients.length;
      clients.push(...added);
      const started = now();
      const failed = await pool(added, command.concurrency, (client) => open(client, false));
      return { connectMs: now() - started, failed, firstIndex } satisfies ConnectResult;
    }
    case 'send': {
      ackHistogram = newHistogram();
      deliverHistogram = newHistogram();
      deliveredInWindow = 0;
      ackedInWindow = 0;
      errors = 0;
      habitFrames = { typing: 0, read: 0, presence: 0 };
      windowStart = now();
      windowEnd = windowStart + command.durationMs;
      const senders = command.senders;
      const fixed = senders.filter((s) => s.rate !== null);
      const max = senders.filter((s) => s.rate === null);
      for (const s of fixed) clients[s.client]!.habits = s.habits ?? null;
      await Promise.all([sendAtRate(fixed, command.durationMs), sendAtMax(max, command.durationMs)]);
      await settle(command.quietMs, command.settleTimeoutMs);
      for (const client of clients) client.habits = null;
      const result: SendResult = {
        windowMs: command.durationMs,
        deliveredInWindow,
        ackedInWindow,
        unacked: inFlight.size,
        errors,
        errorSamples: errorSamples.splice(0),
        connectionsLost: lost,
        ack: encodeHistogram(ackHistogram),
        deliver: encodeHistogram(deliverHistogram),
        ledger: ledger(),
        habitFrames,
      };
      inFlight.clear();
      return result;
    }
    case 'drop': {
      for (const client of clients) if (client.spec.droppable !== false) client.connection?.drop();
      return {};
    }
    case 'reconnect': {
      const started = now();
      const again = clients.filter((c) => c.spec.droppable !== false);
      const failed = await pool(again, command.concurrency, (client) => open(client, true));
      return { connectMs: now() - started, failed, firstIndex: 0 } satisfies ConnectResult;
    }
    case 'close': {
      for (const client of clients) client.connection?.close();
      clients = [];
      return {};
    }
  }
}

process.on('message', (command: Command) => {
  handle(command).then(
    (result) => process.send!({ id: command.id, ok: true, result } satisfies Reply),
    (error: Error) => process.send!({ id: command.id, ok: false, error: error.stack ?? error.message } satisfies Reply),
  );
});
