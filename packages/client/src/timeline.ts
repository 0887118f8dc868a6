import type { Message } from '@parley/protocol';
import type { PendingMessage } from './outbox';

/**
 * The conversation timeline, independent of any UI framework: immutable state plus pure functions.
 *
 * What it knows is split in two: the messages (by id), and the seq ranges known to be complete
 * ("covered"): every message this user can see with a seq in a covered range is known. Seqs alone
 * never prove completeness, because customers do not receive internal notes and so see holes in
 * the numbering; only what a page or the live stream says about a range does.
 *
 * `view` shows the covered block holding the newest known seq, so two messages on either side of
 * an unknown gap are never rendered as neighbours, followed by the user's unconfirmed sends.
 */

/** A seq range known complete, both ends included. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

/** What a pending send needs for display; the outbox's `PendingMessage` fits. */
export type PendingSend = Pick<
  PendingMessage,
  'clientMsgId' | 'conversationId' | 'body' | 'state' | 'createdAt' | 'replyToId'
>;

export interface Timeline {
  readonly conversationId: string;
  /** The signed-in user: only their confirmed messages replace their pending sends (null: anyone's). */
  readonly selfId: string | null;
  readonly messages: ReadonlyMap<string, Message>;
  /** Sorted, disjoint and non-adjacent (adjacent ranges are merged). */
  readonly covered: readonly SeqRange[];
  /** The highest seq the conversation is known to have (it may be a note this user cannot see). */
  readonly lastSeq: number;
  /** Where the live stream is known to have delivered everything up to (null: no live anchor). */
  readonly liveTail: number | null;
  readonly pending: readonly PendingSend[];
  /**
   * A message far back the user jumped to (a link, a search result, the first unread): `view`
   * shows the covered block around it instead of the newest one, until loading newer pages joins
   * the two (the anchor is dropped then). Null: follow the newest.
   */
  readonly anchor: number | null;
}

export type TimelineItem =
  | { readonly kind: 'message'; readonly key: string; readonly message: Message }
  | { readonly kind: 'pending'; readonly key: string; readonly pending: PendingSend };

/** The query a page was fetched with: `afterSeq`, `beforeSeq` or neither (the newest page). */
export interface PageQuery {
  afterSeq?: number | undefined;
  beforeSeq?: number | undefined;
}

export interface PageResult {
  items: readonly Message[];
  hasMore: boolean;
  lastSeq: number;
}

export function emptyTimeline(conversationId: string, options: { selfId?: string | null } = {}): Timeline {
  return {
    conversationId,
    selfId: options.selfId ?? null,
    messages: new Map(),
    covered: [],
    lastSeq: 0,
    liveTail: null,
    pending: [],
    anchor: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Ranges

function addRange(ranges: readonly SeqRange[], from: number, to: number): readonly SeqRange[] {
  if (to < from) return ranges;
  let merged: SeqRange = { from, to };
  const below: SeqRange[] = [];
  const above: SeqRange[] = [];
  for (const r of ranges) {
    if (r.to + 1 < merged.from) below.push(r);
    else if (merged.to + 1 < r.from) above.push(r);
    else merged = { from: Math.min(r.from, merged.from), to: Math.max(r.to, merged.to) };
  }
  return [...below, merged, ...above];
}

function rangeContaining(ranges: readonly SeqRange[], seq: number): SeqRange | null {
  return ranges.find((r) => r.from <= seq && seq <= r.to) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Message versions

function versionTime(m: Message): number {
  const times = [m.editedAt, m.deletedAt].filter((t): t is string => t !== null).map((t) => Date.parse(t));
  return times.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...times);
}

/**
 * Whether `incoming` should replace `current` (same id). The last version applied wins unless it
 * is provably older: a deletion is final, and an `editedAt`/`deletedAt` earlier than the current
 * one's loses. Reactions carry no timestamp, so between versions with equal times the one applied
 * last wins (a stale page applied after a newer reaction update can revert that reaction until
 * the next update: the realtime stream is ordered, pages are refetched on resume).
 */
export function isNotOlder(incoming: Message, current: Message): boolean {
  if (current.deletedAt !== null && incoming.deletedAt === null) return false;
  return versionTime(incoming) >= versionTime(current);
}

function withMessages(t: Timeline, incoming: readonly Message[]): Map<string, Message> | null {
  let next: Map<string, Message> | null = null;
  for (const m of incoming) {
    if (m.conversationId !== t.conversationId) continue;
    const current = (next ?? t.messages).get(m.id);
    if (current !== undefined && (current === m || !isNotOlder(m, current))) continue;
    next ??= new Map(t.messages);
    next.set(m.id, m);
  }
  return next;
}

function ownMessages(t: Timeline, items: readonly Message[]): Message[] {
  return items.filter((m) => m.conversationId === t.conversationId);
}

// ---------------------------------------------------------------------------------------------
// Updates

/**
 * Adds a page of `GET /conversations/:id/messages` fetched with `query`. What it proves complete:
 * `afterSeq=a`: (a, max item seq], or (a, lastSeq] when `!hasMore`; `beforeSeq=b`: [min item seq,
 * b), or [1, b) when `!hasMore`; neither (the newest page): [min item seq, lastSeq], or
 * [1, lastSeq] when `!hasMore`.
 */
export function addPage(t: Timeline, query: PageQuery, page: PageResult): Timeline {
  const items = ownMessages(t, page.items);
  const seqs = items.map((m) => m.seq);
  const min = seqs.length > 0 ? Math.min(...seqs) : null;
  const max = seqs.length > 0 ? Math.max(...seqs) : null;
  let covered = t.covered;
  if (query.afterSeq !== undefined) {
    const to = page.hasMore ? max : page.lastSeq;
    if (to !== null) covered = addRange(covered, query.afterSeq + 1, to);
  } else if (query.beforeSeq !== undefined) {
    // capped at lastSeq: seqs beyond it did not exist yet, later messages may take them
    const from = page.hasMore ? min : 1;
    if (from !== null) covered = addRange(covered, from, Math.min(query.beforeSeq - 1, page.lastSeq));
  } else {
    const from = page.hasMore ? min : 1;
    if (from !== null) covered = addRange(covered, from, page.lastSeq);
  }
  for (const s of seqs) covered = addRange(covered, s, s);
  const messages = withMessages(t, items) ?? t.messages;
  const lastSeq = Math.max(t.lastSeq, page.lastSeq, max ?? 0);
  return settleAnchor({ ...t, messages, covered, lastSeq });
}

/**
 * The realtime `subscribed {lastSeq}` frame. With `afterSeq` (the subscription resumed after it),
 * the replay delivered everything in (afterSeq, lastSeq], so that range is covered (add the
 * replayed messages first). Live messages from now on follow `lastSeq` contiguously.
 */
export function addSubscribed(t: Timeline, frame: { afterSeq?: number | null; lastSeq: number }): Timeline {
  const covered =
    frame.afterSeq === undefined || frame.afterSeq === null
      ? t.covered
      : addRange(t.covered, frame.afterSeq + 1, frame.lastSeq);
  return settleAnchor({ ...t, covered, lastSeq: Math.max(t.lastSeq, frame.lastSeq), liveTail: frame.lastSeq });
}

/** The live stream broke (disconnected, unsubscribed): later messages no longer chain to it. */
export function resetLive(t: Timeline): Timeline {
  return t.liveTail === null ? t : { ...t, liveTail: null };
}

/**
 * A realtime `message` frame. `contiguous`: delivered on the live subscription right after the
 * previous live message or the `subscribed` point (the live anchor), so (anchor, seq] is covered
 * and the anchor moves to seq. Without an anchor (no `addSubscribed` since the last `resetLive`),
 * or when not contiguous (a redelivery, a replay), only the message itself is known and the
 * anchor does not move.
 */
export function addLive(t: Timeline, message: Message, options: { contiguous: boolean }): Timeline {
  if (message.conversationId !== t.conversationId) return t;
  const s = message.seq;
  let covered = addRange(t.covered, s, s);
  if (options.contiguous && t.liveTail !== null && t.liveTail < s) covered = addRange(covered, t.liveTail + 1, s);
  const messages = withMessages(t, [message]) ?? t.messages;
  const liveTail = options.contiguous && t.liveTail !== null ? Math.max(t.liveTail, s) : t.liveTail;
  return settleAnchor({ ...t, messages, covered, lastSeq: Math.max(t.lastSeq, s), liveTail });
}

/**
 * A realtime `message.updated` frame (edit, delete, reaction): replaces the known version unless
 * it is older (see `isNotOlder`). An update for a message not loaded yet is kept (its seq is
 * known to exist) but proves nothing about its neighbours.
 */
export function updateMessage(t: Timeline, message: Message): Timeline {
  if (message.conversationId !== t.conversationId) return t;
  const messages = withMessages(t, [message]);
  if (messages === null) return t;
  const s = message.seq;
  return { ...t, messages, covered: addRange(t.covered, s, s), lastSeq: Math.max(t.lastSeq, s) };
}

/**
 * Shows the history around `seq` (null: the newest again). Load it with two pages, both
 * directions at once: `beforeSeq: seq + 1` and `afterSeq: seq`; then newer ones with
 * `afterSeq: newestShownSeq(t)` while `hasNewerThanView(t)`, and older ones as usual.
 */
export function setAnchor(t: Timeline, seq: number | null): Timeline {
  return settleAnchor({ ...t, anchor: seq });
}

/** An anchor whose block reaches the newest known seq is the newest block: follow it again. */
function settleAnchor(t: Timeline): Timeline {
  if (t.anchor === null) return t;
  const block = rangeContaining(t.covered, t.anchor);
  return block !== null && block.to >= t.lastSeq ? { ...t, anchor: null } : t;
}

/** The outbox's current list (any conversation's: only this one's are kept), in the order sent. */
export function setPending(t: Timeline, pending: readonly PendingSend[]): Timeline {
  return { ...t, pending: pending.filter((p) => p.conversationId === t.conversationId) };
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The highest seq known to exist: the conversation's `lastSeq` or a newer message. */
export function newestSeq(t: Timeline): number {
  return t.lastSeq;
}

/**
 * The covered block `view` shows: the one holding the anchor, or else the newest known seq
 * (null: not loaded yet).
 */
export function viewBlock(t: Timeline): SeqRange | null {
  return rangeContaining(t.covered, t.anchor ?? t.lastSeq);
}

/** The confirmed messages `view` shows, ascending by seq. */
export function confirmedMessages(t: Timeline): Message[] {
  const block = viewBlock(t);
  if (block === null) return [];
  const bySeq = new Map<number, Message>();
  for (const m of t.messages.values()) {
    if (m.seq < block.from || m.seq > block.to) continue;
    const other = bySeq.get(m.seq);
    // Two ids for one seq cannot come from one server; keep the smaller id to stay deterministic.
    if (other === undefined || m.id < other.id) bySeq.set(m.seq, m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Pending sends not yet confirmed by a known message of the same clientMsgId (and sender). */
export function unconfirmedPending(t: Timeline): PendingSend[] {
  const confirmed = new Set<string>();
  for (const m of t.messages.values()) {
    if (m.clientMsgId !== null && (t.selfId === null || m.senderId === t.selfId)) confirmed.add(m.clientMsgId);
  }
  const seen = new Set<string>();
  return t.pending.filter((p) => {
    if (confirmed.has(p.clientMsgId) || seen.has(p.clientMsgId)) return false;
    seen.add(p.clientMsgId);
    return true;
  });
}

/**
 * What to render: the confirmed messages of the newest covered block, strictly ascending by seq,
 * then the unconfirmed sends in the order sent. A send whose confirmed message is known but not in
 * the shown block (it lies beyond a gap) is hidden: it is no longer pending.
 */
export function view(t: Timeline): TimelineItem[] {
  const items: TimelineItem[] = confirmedMessages(t).map((message) => ({
    kind: 'message',
    key: message.id,
    message,
  }));
  // Back in history, the sends under way belong below the newest messages, not below these.
  if (t.anchor !== null) return items;
  for (const pending of unconfirmedPending(t))
    items.push({ kind: 'pending', key: `pending:${pending.clientMsgId}`, pending });
  return items;
}

/** Whether older history than the shown block may exist (load it with `beforeSeq: oldestSeq(t)`). */
export function hasGapBefore(t: Timeline): boolean {
  const block = viewBlock(t);
  return block === null ? t.lastSeq > 0 : block.from > 1;
}

/** The first seq of the shown block: the `beforeSeq` for older history (null: nothing shown yet). */
export function oldestSeq(t: Timeline): number | null {
  return viewBlock(t)?.from ?? null;
}

/** Anchored back in history: newer messages than the shown block exist (load them from `newestShownSeq`). */
export function hasNewerThanView(t: Timeline): boolean {
  const block = viewBlock(t);
  return t.anchor !== null && block !== null && block.to < t.lastSeq;
}

/** The last seq of the shown block: the `afterSeq` for the newer page (null: nothing shown yet). */
export function newestShownSeq(t: Timeline): number | null {
  return viewBlock(t)?.to ?? null;
}

/** Whether the newest known seq is not covered yet (load forward with `afterSeq: missingAfter(t)`). */
export function hasGapAfter(t: Timeline): boolean {
  return t.anchor === null && t.lastSeq > 0 && viewBlock(t) === null;
}

/**
 * The `afterSeq` to resume from (REST or realtime `subscribe`): the end of the highest covered
 * range, 0 when nothing is covered.
 */
export function missingAfter(t: Timeline): number {
  return t.covered.at(-1)?.to ?? 0;
}

/** Every known seq range proven complete (for debugging and tests). */
export function coveredRanges(t: Timeline): readonly SeqRange[] {
  return t.covered;
}
