import type { DriverName } from './drivers';

/** One simulated user: where it connects, with what, and the rooms it is in. */
export interface ClientSpec {
  url: string;
  token: string;
  rooms: string[];
  /** False for a pure sender: it writes to its rooms without subscribing to them. */
  joins?: boolean;
  /** False to keep it connected when the others are dropped (burst-reconnect's senders). */
  droppable?: boolean;
}

/**
 * A client (index in this worker) that sends `rate` messages per second, or as fast as acks come
 * (null), to one room, or each message to one of its rooms picked at random (no `room`).
 */
export interface SenderSpec {
  client: number;
  room?: string;
  rate: number | null;
  /** Fixed rate: where in its first period (0..1) this sender starts, so senders do not fire in step. */
  phase?: number;
  /** Max rate: messages kept unacked at once. */
  window: number;
  /** Fixed rate: what else the person's app sends besides messages (Parley only). */
  habits?: Habits;
}

/** The frames around a person's messages: typing before some, read receipts, presence changes. */
export interface Habits {
  /** Share of messages (0..1) announced by a `typing` frame to their room… */
  typingShare: number;
  /** …this long before the message goes. */
  typingLeadMs: number;
  /** A `read` up to the latest seq once this many messages from others arrived in a room… */
  readEvery: number;
  /** …but no sooner than this after the last `read` there (someone glancing at a busy group). */
  readGapMs: number;
  /** Mean time between `presence` changes (away, then online again), at random moments. */
  presenceEveryMs: number;
}

/** Frames of `Habits` sent in one `send` step. */
export interface HabitFrames {
  typing: number;
  read: number;
  presence: number;
}

export type Command = { id: number } & (
  | { op: 'connect'; driver: DriverName; clients: ClientSpec[]; concurrency: number }
  | { op: 'send'; senders: SenderSpec[]; durationMs: number; quietMs: number; settleTimeoutMs: number }
  | { op: 'drop' }
  | { op: 'reconnect'; concurrency: number }
  | { op: 'close' }
);

export type Reply = { id: number } & ({ ok: true; result: unknown } | { ok: false; error: string });

export interface ConnectResult {
  connectMs: number;
  failed: number;
  /** Index in the worker of the first client of this call (senders refer to clients by index). */
  firstIndex: number;
}

/** Per room: acked messages per sender, and what each receiver got of them. */
export interface RoomLedger {
  room: string;
  acked: Record<string, number>;
  receivers: Array<{ counts: Record<string, number>; duplicates: number }>;
}

export interface SendResult {
  windowMs: number;
  deliveredInWindow: number;
  ackedInWindow: number;
  /** Sends never acked by the end of the settle time. */
  unacked: number;
  errors: number;
  errorSamples: string[];
  connectionsLost: number;
  /** HdrHistograms (µs), compressed base64. */
  ack: string;
  deliver: string;
  ledger: RoomLedger[];
  habitFrames: HabitFrames;
}
