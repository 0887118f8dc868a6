import type { Message } from '@parley/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addLive,
  addPage,
  addSubscribed,
  coveredRanges,
  emptyTimeline,
  hasGapAfter,
  hasGapBefore,
  hasNewerThanView,
  missingAfter,
  newestShownSeq,
  oldestSeq,
  resetLive,
  setAnchor,
  setPending,
  updateMessage,
  view,
  viewBlock,
  type PendingSend,
  type PageResult,
  type Timeline,
} from './timeline';

const CONV = 'c1';
const ME = 'me';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (n: number) => new Date(T0 + n * 1000).toISOString();

function msg(seq: number, patch: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    conversationId: CONV,
    seq,
    senderId: 'other',
    clientMsgId: null,
    body: `message ${seq}`,
    kind: 'text',
    system: null,
    createdAt: at(seq),
    editedAt: null,
    deletedAt: null,
    reactions: [],
    attachments: [],
    replyTo: null,
    ...patch,
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqsOf = (t: Timeline) => view(t).flatMap((i) => (i.kind === 'message' ? [i.message.seq] : []));
const pendingOf = (t: Timeline) => view(t).flatMap((i) => (i.kind === 'pending' ? [i.pending.clientMsgId] : []));
const pend = (clientMsgId: string, state: PendingSend['state'] = 'pending'): PendingSend => ({
  clientMsgId,
  conversationId: CONV,
  body: `send ${clientMsgId}`,
  state,
  createdAt: at(1000),
});

describe('timeline stories', () => {
  it('shows the newest page, then live messages after subscribing', () => {
    let t = emptyTimeline(CONV, { selfId: ME });
    t = addPage(t, {}, { items: [msg(8), msg(9), msg(10)], hasMore: true, lastSeq: 10 });
    expect(seqsOf(t)).toEqual([8, 9, 10]);
    expect(hasGapBefore(t)).toBe(true);
    expect(oldestSeq(t)).toBe(8);
    t = addSubscribed(t, { afterSeq: missingAfter(t), lastSeq: 10 });
    t = addLive(t, msg(11), { contiguous: true });
    t = addLive(t, msg(13), { contiguous: true }); // 12 was a note: still contiguous
    expect(seqsOf(t)).toEqual([8, 9, 10, 11, 13]);
    t = addPage(t, { beforeSeq: 8 }, { items: [msg(5), msg(6), msg(7)], hasMore: false, lastSeq: 13 });
    expect(seqsOf(t)).toEqual([5, 6, 7, 8, 9, 10, 11, 13]);
    expect(hasGapBefore(t)).toBe(false);
    expect(missingAfter(t)).toBe(13);
  });

  it('opens a link far back at the message, with history both ways, and joins the newest as it scrolls down', () => {
    let t = emptyTimeline(CONV, { selfId: ME });
    t = addPage(t, {}, { items: [msg(98), msg(99), msg(100)], hasMore: true, lastSeq: 100 });
    t = addSubscribed(t, { afterSeq: missingAfter(t), lastSeq: 100 });
    t = setPending(t, [pend('on-its-way')]);
    // A link to message 40: nothing shown until it is loaded, and no forward load from the end.
    t = setAnchor(t, 40);
    expect(seqsOf(t)).toEqual([]);
    expect(hasGapAfter(t)).toBe(false);
    t = addPage(t, { beforeSeq: 41 }, { items: [msg(38), msg(39), msg(40)], hasMore: true, lastSeq: 100 });
    t = addPage(t, { afterSeq: 40 }, { items: [msg(41), msg(42), msg(43)], hasMore: true, lastSeq: 100 });
    expect(seqsOf(t)).toEqual([38, 39, 40, 41, 42, 43]);
    expect(pendingOf(t)).toEqual([]); // sends belong at the end, not here
    expect([hasGapBefore(t), hasNewerThanView(t), newestShownSeq(t)]).toEqual([true, true, 43]);
    // Live messages arrive meanwhile; the view stays where the reader is.
    t = addLive(t, msg(101), { contiguous: true });
    expect(seqsOf(t)).toEqual([38, 39, 40, 41, 42, 43]);
    // Scrolling down loads newer pages until they meet the newest block: back to following it.
    t = addPage(t, { afterSeq: 43 }, { items: range(44, 97).map((s) => msg(s)), hasMore: false, lastSeq: 101 });
    expect(t.anchor).toBeNull();
    expect(seqsOf(t).slice(-4)).toEqual([98, 99, 100, 101]);
    expect(seqsOf(t)[0]).toBe(38);
    expect(pendingOf(t)).toEqual(['on-its-way']);
  });

  it('drops an anchor inside the newest block at once, and goes back to the newest on request', () => {
    let t = addPage(emptyTimeline(CONV), {}, { items: [msg(9), msg(10)], hasMore: true, lastSeq: 10 });
    expect(setAnchor(t, 9).anchor).toBeNull();
    t = addPage(setAnchor(t, 2), { beforeSeq: 3 }, { items: [msg(1), msg(2)], hasMore: false, lastSeq: 10 });
    expect(seqsOf(t)).toEqual([1, 2]);
    expect(seqsOf(setAnchor(t, null))).toEqual([9, 10]);
  });

  it('applies an edit and a deletion, and ignores an older version arriving later', () => {
    let t = addPage(emptyTimeline(CONV), {}, { items: [msg(1), msg(2)], hasMore: false, lastSeq: 2 });
    const edited = msg(2, { body: 'edited', editedAt: at(50) });
    t = updateMessage(t, edited);
    t = addPage(t, {}, { items: [msg(1), msg(2)], hasMore: false, lastSeq: 2 }); // a stale page
    expect(view(t).at(-1)).toMatchObject({ kind: 'message', message: { body: 'edited' } });
    t = updateMessage(t, msg(2, { body: '', editedAt: at(50), deletedAt: at(60) }));
    t = updateMessage(t, edited);
    t = updateMessage(t, { ...edited, editedAt: at(70) }); // a deletion is final
    expect(view(t).at(-1)).toMatchObject({ kind: 'message', message: { body: '', deletedAt: at(60) } });
    const reacted = msg(1, { reactions: [{ emoji: '👍', userIds: ['x'] }] });
    t = updateMessage(t, reacted);
    expect(view(t)[0]).toMatchObject({ message: { reactions: [{ emoji: '👍' }] } });
  });

  it('replaces a pending send by its confirmed message, keeping failed ones after it', () => {
    let t = addPage(emptyTimeline(CONV, { selfId: ME }), {}, { items: [msg(1)], hasMore: false, lastSeq: 1 });
    t = addSubscribed(t, { afterSeq: 1, lastSeq: 1 });
    t = setPending(t, [pend('a'), pend('b', 'failed'), pend('c'), { ...pend('z'), conversationId: 'other' }]);
    expect(pendingOf(t)).toEqual(['a', 'b', 'c']);
    // someone else's message with the same clientMsgId does not confirm ours
    t = addLive(t, msg(2, { senderId: 'other', clientMsgId: 'a' }), { contiguous: true });
    expect(pendingOf(t)).toEqual(['a', 'b', 'c']);
    t = addLive(t, msg(3, { senderId: ME, clientMsgId: 'a' }), { contiguous: true });
    expect(seqsOf(t)).toEqual([1, 2, 3]);
    expect(pendingOf(t)).toEqual(['b', 'c']);
    expect(view(t).map((i) => i.key)).toEqual(['m1', 'm2', 'm3', 'pending:b', 'pending:c']);
  });

  it("does not treat a customer's skipped seq (an internal note) as a gap", () => {
    let t = emptyTimeline(CONV);
    // seqs 3 and 6 are notes the customer never receives
    t = addPage(t, { afterSeq: 0 }, { items: [msg(1), msg(2), msg(4)], hasMore: true, lastSeq: 7 });
    t = addPage(t, { afterSeq: 4 }, { items: [msg(5), msg(7)], hasMore: false, lastSeq: 7 });
    expect(seqsOf(t)).toEqual([1, 2, 4, 5, 7]);
    expect(coveredRanges(t)).toEqual([{ from: 1, to: 7 }]);
    expect(hasGapBefore(t)).toBe(false);
    expect(hasGapAfter(t)).toBe(false);
  });

  it('never shows messages across an unknown gap as neighbours', () => {
    let t = addPage(emptyTimeline(CONV), { afterSeq: 0 }, { items: [msg(1), msg(2)], hasMore: true, lastSeq: 9 });
    expect(seqsOf(t)).toEqual([]); // the newest seq (9) is not covered yet
    expect(hasGapAfter(t)).toBe(true);
    t = addLive(t, msg(9), { contiguous: false });
    expect(seqsOf(t)).toEqual([9]);
    t = addSubscribed(t, { lastSeq: 9 }); // a live-only subscription: anchored at 9
    t = addLive(t, msg(10), { contiguous: true });
    expect(seqsOf(t)).toEqual([9, 10]);
    expect(hasGapBefore(t)).toBe(true);
    t = addPage(t, { beforeSeq: 9 }, { items: [msg(4), msg(8)], hasMore: true, lastSeq: 10 });
    expect(seqsOf(t)).toEqual([4, 8, 9, 10]);
    t = addPage(t, { beforeSeq: 4 }, { items: [msg(3)], hasMore: true, lastSeq: 10 });
    expect(seqsOf(t)).toEqual([1, 2, 3, 4, 8, 9, 10]);
    expect(viewBlock(t)).toEqual({ from: 1, to: 10 });
  });

  it('does not chain live messages across a reconnect without a new subscribed frame', () => {
    let t = addPage(emptyTimeline(CONV), {}, { items: [msg(1)], hasMore: false, lastSeq: 1 });
    t = addSubscribed(t, { afterSeq: 1, lastSeq: 1 });
    t = resetLive(t);
    t = addLive(t, msg(3), { contiguous: false }); // a redelivery does not anchor the stream
    t = addLive(t, msg(5), { contiguous: true });
    expect(seqsOf(t)).toEqual([5]);
    t = addSubscribed(t, { afterSeq: 1, lastSeq: 5 }); // the resumed replay covered (1, 5]
    expect(seqsOf(t)).toEqual([1, 3, 5]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: a simulated server and realtime session, applied in random interleavings.

type Op =
  | { type: 'tick' }
  | { type: 'send'; fails: boolean }
  | { type: 'ack' }
  | { type: 'edit'; pick: number }
  | { type: 'fetch'; dir: 'after' | 'before' | 'newest'; pick: number; limit: number }
  | { type: 'deliver'; pick: number }
  | { type: 'subscribe' }
  | { type: 'subscribeLiveOnly' }
  | { type: 'disconnect' }
  | { type: 'duplicate'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ type: 'tick' } as const) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('send' as const), fails: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ type: 'ack' } as const) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('edit' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('fetch' as const),
      dir: fc.constantFrom('after' as const, 'before' as const, 'newest' as const),
      pick: fc.nat(),
      limit: fc.integer({ min: 1, max: 6 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('deliver' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ type: 'subscribe' } as const) },
  { weight: 1, arbitrary: fc.constant({ type: 'subscribeLiveOnly' } as const) },
  { weight: 1, arbitrary: fc.constant({ type: 'disconnect' } as const) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('duplicate' as const), pick: fc.nat() }) },
);

interface Scenario {
  /** One flag per seq: true = an internal note the customer never sees. */
  notes: boolean[];
  /** How many seqs exist before the client starts. */
  initial: number;
  ops: Op[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    notes: fc.array(
      fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      { maxLength: 80 },
    ),
    initial: fc.nat({ max: 40 }),
    ops: fc.array(opArb, { maxLength: 60 }),
  })
  .map((s) => ({ ...s, notes: [...s.notes, ...Array<boolean>(80).fill(false)].slice(0, 80) }));

/** The server (as a customer sees it) plus the client's realtime session and outbox. */
class Simulation {
  current: number;
  readonly versions = new Map<number, Message>();
  readonly sendQueue: string[] = [];
  outbox: PendingSend[] = [];
  readonly inFlight: { query: { afterSeq?: number; beforeSeq?: number }; page: PageResult }[] = [];
  live = false;
  clock = 100;
  sends = 0;
  t: Timeline = emptyTimeline(CONV, { selfId: ME });

  constructor(
    readonly notes: boolean[],
    initial: number,
  ) {
    this.current = 0;
    for (let i = 0; i < initial; i++) this.create();
  }

  /** The visible messages that exist now, ascending. */
  visible(): Message[] {
    return [...this.versions.values()].sort((a, b) => a.seq - b.seq);
  }

  create(): Message | null {
    if (this.current >= this.notes.length) return null;
    const seq = ++this.current;
    if (this.notes[seq - 1] === true) return null;
    const clientMsgId = this.sendQueue.shift();
    const m =
      clientMsgId === undefined ? msg(seq) : msg(seq, { senderId: ME, clientMsgId, body: `send ${clientMsgId}` });
    this.versions.set(seq, m);
    return m;
  }

  page(query: { afterSeq?: number; beforeSeq?: number }, limit: number): PageResult {
    const all = this.visible();
    if (query.afterSeq !== undefined) {
      const after = all.filter((m) => m.seq > (query.afterSeq ?? 0));
      return { items: after.slice(0, limit), hasMore: after.length > limit, lastSeq: this.current };
    }
    const before = query.beforeSeq === undefined ? all : all.filter((m) => m.seq < (query.beforeSeq ?? 0));
    return { items: before.slice(-limit), hasMore: before.length > limit, lastSeq: this.current };
  }

  apply(op: Op): void {
    switch (op.type) {
      case 'tick': {
        const m = this.create();
        if (m !== null && this.live) this.t = addLive(this.t, m, { contiguous: true });
        break;
      }
      case 'send': {
        const clientMsgId = `s${++this.sends}`;
        this.outbox = [...this.outbox, { ...pend(clientMsgId, op.fails ? 'failed' : 'pending') }];
        if (!op.fails) this.sendQueue.push(clientMsgId);
        this.t = setPending(this.t, this.outbox);
        break;
      }
      case 'ack': {
        // the outbox drops the oldest send the server committed
        const committed = new Set([...this.versions.values()].map((m) => m.clientMsgId));
        const i = this.outbox.findIndex((p) => committed.has(p.clientMsgId));
        if (i >= 0) this.outbox = this.outbox.filter((_, j) => j !== i);
        this.t = setPending(this.t, this.outbox);
        break;
      }
      case 'edit': {
        const all = this.visible();
        const old = all[op.pick % Math.max(all.length, 1)];
        if (old === undefined) break;
        const m = { ...old, body: `${old.body}'`, editedAt: at(++this.clock) };
        this.versions.set(m.seq, m);
        if (this.live) this.t = updateMessage(this.t, m);
        break;
      }
      case 'fetch': {
        const anchor = op.pick % (this.current + 2);
        const query = op.dir === 'after' ? { afterSeq: anchor } : op.dir === 'before' ? { beforeSeq: anchor + 1 } : {};
        this.inFlight.push({ query, page: this.page(query, op.limit) });
        break;
      }
      case 'deliver': {
        const [f] = this.inFlight.splice(op.pick % Math.max(this.inFlight.length, 1), 1);
        if (f !== undefined) this.t = addPage(this.t, f.query, f.page);
        break;
      }
      case 'subscribe': {
        // (re)subscribe resuming from the client's cursor: replay, then `subscribed`
        this.t = resetLive(this.t);
        const afterSeq = missingAfter(this.t);
        for (const m of this.visible()) if (m.seq > afterSeq) this.t = addLive(this.t, m, { contiguous: false });
        this.t = addSubscribed(this.t, { afterSeq, lastSeq: this.current });
        this.live = true;
        break;
      }
      case 'subscribeLiveOnly':
        // subscribed without resuming: no replay, live from the server's current lastSeq
        this.t = addSubscribed(resetLive(this.t), { lastSeq: this.current });
        this.live = true;
        break;
      case 'disconnect':
        this.live = false;
        this.t = resetLive(this.t);
        break;
      case 'duplicate': {
        const all = this.visible();
        const m = all[op.pick % Math.max(all.length, 1)];
        if (m !== undefined) this.t = addLive(this.t, m, { contiguous: false });
        break;
      }
    }
  }

  expectedPending(): string[] {
    const confirmed = new Set([...this.t.messages.values()].filter((m) => m.senderId === ME).map((m) => m.clientMsgId));
    return this.outbox.filter((p) => !confirmed.has(p.clientMsgId)).map((p) => p.clientMsgId);
  }

  check(): void {
    const items = view(this.t);
    const shown = items.flatMap((i) => (i.kind === 'message' ? [i.message] : []));
    // strictly increasing seqs, no duplicate keys, messages before pending sends
    for (let i = 1; i < shown.length; i++) expect(shown[i]!.seq).toBeGreaterThan(shown[i - 1]!.seq);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
    const firstPending = items.findIndex((i) => i.kind === 'pending');
    if (firstPending >= 0) expect(items.slice(firstPending).every((i) => i.kind === 'pending')).toBe(true);
    // every covered range really is complete: no message the server has there is missing
    for (const r of coveredRanges(this.t)) {
      for (const m of this.visible())
        if (m.seq >= r.from && m.seq <= r.to) expect(this.t.messages.has(m.id)).toBe(true);
    }
    // nothing across an unknown gap: what is shown is exactly the server's messages in its span,
    // and all of the newest block
    const block = viewBlock(this.t);
    if (block === null) expect(shown).toEqual([]);
    else {
      expect(block.to).toBe(this.t.lastSeq);
      const expected = this.visible().filter((m) => m.seq >= block.from && m.seq <= block.to);
      expect(shown.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    }
    expect(items.flatMap((i) => (i.kind === 'pending' ? [i.pending.clientMsgId] : []))).toEqual(this.expectedPending());
  }

  /** Loads everything: the newest page, then older pages until nothing is missing before. */
  loadAll(limit: number): void {
    this.live = false;
    this.t = addPage(resetLive(this.t), {}, this.page({}, limit));
    for (let guard = 0; hasGapBefore(this.t); guard++) {
      expect(guard).toBeLessThan(200);
      const beforeSeq = oldestSeq(this.t) ?? 1;
      this.t = addPage(this.t, { beforeSeq }, this.page({ beforeSeq }, limit));
    }
    // edits made while offline are only learnt by refetching: sweep every page forward
    for (let afterSeq = 0, more = true; more;) {
      const page = this.page({ afterSeq }, limit);
      this.t = addPage(this.t, { afterSeq }, page);
      more = page.hasMore;
      afterSeq = page.items.at(-1)?.seq ?? afterSeq;
    }
  }
}

describe('timeline properties', () => {
  it('keeps view() ordered, deduplicated, gap-free and complete under random interleavings', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 7 }), (s, finalLimit) => {
        const sim = new Simulation(s.notes, s.initial);
        for (const op of s.ops) {
          sim.apply(op);
          sim.check();
        }
        // stale pages still in flight may land late: they must not win over newer versions
        while (sim.inFlight.length > 0) {
          sim.apply({ type: 'deliver', pick: 0 });
          sim.check();
        }
        sim.loadAll(finalLimit);
        sim.check();
        expect(hasGapBefore(sim.t)).toBe(false);
        expect(hasGapAfter(sim.t)).toBe(false);
        const shown = view(sim.t).flatMap((i) => (i.kind === 'message' ? [i.message] : []));
        expect(shown).toEqual(sim.visible());
        expect(missingAfter(sim.t)).toBe(sim.current);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same view whatever order the same pages arrive in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.constantFrom('after', 'before', 'newest'), fc.nat(), fc.integer({ min: 1, max: 5 }))),
        fc.infiniteStream(fc.nat()),
        (notes, fetches, picks) => {
          const sim = new Simulation(notes, notes.length);
          const pages = fetches.map(([dir, pick, limit]) => {
            const anchor = pick % (sim.current + 2);
            const query = dir === 'after' ? { afterSeq: anchor } : dir === 'before' ? { beforeSeq: anchor + 1 } : {};
            return { query, page: sim.page(query, limit) };
          });
          const apply = (order: typeof pages) =>
            order.reduce((t, p) => addPage(t, p.query, p.page), emptyTimeline(CONV));
          const shuffled = [...pages];
          const it = picks[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = (it.next().value as number) % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(view(apply(shuffled))).toEqual(view(apply(pages)));
          expect(coveredRanges(apply(shuffled))).toEqual(coveredRanges(apply(pages)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('makes each page cover exactly the range its query and hasMore prove', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 30 }),
        fc.constantFrom('after' as const, 'before' as const, 'newest' as const),
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        (notes, dir, pick, limit) => {
          const sim = new Simulation(notes, notes.length);
          const anchor = pick % (sim.current + 2);
          const query = dir === 'after' ? { afterSeq: anchor } : dir === 'before' ? { beforeSeq: anchor + 1 } : {};
          const page = sim.page(query, limit);
          const seqs = page.items.map((m) => m.seq);
          const [first, last] = [seqs[0], seqs.at(-1)];
          let range: [number, number] | null;
          if (dir === 'after') range = page.hasMore ? [anchor + 1, last!] : [anchor + 1, page.lastSeq];
          else {
            const to = dir === 'before' ? Math.min(anchor, page.lastSeq) : page.lastSeq;
            range = page.hasMore ? [first!, to] : [1, to];
          }
          const expected = range[1] >= range[0] ? [{ from: range[0], to: range[1] }] : [];
          expect(coveredRanges(addPage(emptyTimeline(CONV), query, page))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
