import { CALL_RING_SECONDS, MAX_IN_CALL } from '@parley/protocol';

/**
 * A call's life, as a pure function of what happens to it (decision 0016). The service reads
 * the call, applies what happened, and writes the result with a conditional UPDATE on the
 * version it read, so two nodes deciding at once cannot both win: the loser reads again and
 * re-applies. Media never passes through here: peers connect to each other (a mesh).
 *
 * ringing ──(someone other than the caller joins)──▶ active ──(one left in it, nobody rung)──▶ ended
 *    └──(nobody answers in time, all decline or are busy, the caller hangs up)──────────────▶ ended
 */

// Peers in a mesh each send their media to every other: four is what a laptop's uplink carries.
export { MAX_IN_CALL };

/** How long a call rings before the callees who have not answered count as missed. */
export const RING_MS = CALL_RING_SECONDS * 1000;

export type CallState = 'ringing' | 'active' | 'ended';

/**
 * Per person: still ringing; in the call; was in it and left; said no; did not answer in time;
 * was in another call when rung.
 */
export type ParticipantState = 'ringing' | 'joined' | 'left' | 'declined' | 'missed' | 'busy';

/** How a call ended: talked; nobody answered; everyone said no (or was busy); the caller gave up first. */
export type EndReason = 'completed' | 'missed' | 'declined' | 'cancelled';

export interface Participant {
  userId: string;
  state: ParticipantState;
  joinedAt: number | null;
}

export interface Call {
  state: CallState;
  startedBy: string;
  startedAt: number;
  /** When someone other than the caller first joined. */
  answeredAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  participants: Participant[];
}

export type CallEvent =
  | { type: 'join'; userId: string; at: number }
  | { type: 'decline'; userId: string; at: number }
  /** Hung up, or every device of theirs went away. */
  | { type: 'leave'; userId: string; at: number }
  | { type: 'ring_timeout'; at: number };

/** Why an event cannot apply: it is not theirs to do, or not now. */
export type CallRefusal = 'not_in_call' | 'ended' | 'full' | 'not_ringing';

/** A new call: the caller in it, the others rung, except whoever is in another call already. */
export function beginCall(startedBy: string, callees: readonly string[], busy: ReadonlySet<string>, at: number): Call {
  const call: Call = {
    state: 'ringing',
    startedBy,
    startedAt: at,
    answeredAt: null,
    endedAt: null,
    endReason: null,
    participants: [
      { userId: startedBy, state: 'joined', joinedAt: at },
      ...callees.map((userId) => ({ userId, state: busy.has(userId) ? 'busy' : 'ringing', joinedAt: null }) as const),
    ],
  };
  return settle(call, at);
}

/** The call after `event`, or why it cannot happen. Applying an event twice changes nothing more. */
export function applyCallEvent(call: Call, event: CallEvent): Call | CallRefusal {
  if (call.state === 'ended') return 'ended';
  if (event.type === 'ring_timeout') {
    if (!call.participants.some((p) => p.state === 'ringing')) return call; // everyone answered or said no
    return settle(
      withParticipants(call, (p) => (p.state === 'ringing' ? { ...p, state: 'missed' } : p)),
      event.at,
    );
  }
  const who = call.participants.find((p) => p.userId === event.userId);
  if (!who) return 'not_in_call';
  switch (event.type) {
    case 'join': {
      // Again, from another device (or a reloaded page): the call moves there. A new `joinedAt`,
      // later than the last even within one millisecond, tells the old device it is out, and the
      // others to connect to the new one.
      if (who.state === 'joined') {
        return withParticipant(call, who.userId, { joinedAt: Math.max(event.at, (who.joinedAt ?? 0) + 1) });
      }
      if (call.participants.filter((p) => p.state === 'joined').length >= MAX_IN_CALL) return 'full';
      const joined = withParticipant(call, who.userId, { state: 'joined', joinedAt: event.at });
      const answered = joined.answeredAt === null && who.userId !== call.startedBy;
      return settle(answered ? { ...joined, state: 'active', answeredAt: event.at } : joined, event.at);
    }
    case 'decline':
      if (who.state === 'declined') return call;
      if (who.state !== 'ringing') return 'not_ringing';
      return settle(withParticipant(call, who.userId, { state: 'declined' }), event.at);
    case 'leave': {
      if (who.state !== 'joined') return call;
      const left = withParticipant(call, who.userId, { state: 'left' });
      // The caller hanging up before anyone answered calls it off for everyone still ringing.
      if (call.state === 'ringing' && who.userId === call.startedBy) return end(left, 'cancelled', event.at);
      return settle(left, event.at);
    }
  }
}

/** Ends the call once nothing can happen in it any more. */
function settle(call: Call, at: number): Call {
  const joined = call.participants.filter((p) => p.state === 'joined').length;
  const ringing = call.participants.filter((p) => p.state === 'ringing').length;
  // Alone in it, the last one waits while someone is still being rung (a group call).
  if (call.state === 'active' && (joined === 0 || (joined === 1 && ringing === 0))) return end(call, 'completed', at);
  if (call.state === 'ringing' && ringing === 0) {
    const someoneMissed = call.participants.some((p) => p.state === 'missed');
    return end(call, someoneMissed ? 'missed' : 'declined', at);
  }
  return call;
}

function end(call: Call, reason: EndReason, at: number): Call {
  const closed = withParticipants(call, (p) =>
    p.state === 'joined' ? { ...p, state: 'left' } : p.state === 'ringing' ? { ...p, state: 'missed' } : p,
  );
  return { ...closed, state: 'ended', endedAt: at, endReason: reason };
}

const withParticipants = (call: Call, change: (p: Participant) => Participant): Call => ({
  ...call,
  participants: call.participants.map(change),
});

const withParticipant = (call: Call, userId: string, change: Partial<Participant>): Call =>
  withParticipants(call, (p) => (p.userId === userId ? { ...p, ...change } : p));

/** What the thread's call log says of it: the call's kind aside, who started it, how it ended, how long it lasted. */
export function callLogOf(call: Call): { startedBy: string; outcome: EndReason; durationSeconds: number } | null {
  if (call.state !== 'ended' || call.endReason === null || call.endedAt === null) return null;
  const durationSeconds = call.answeredAt === null ? 0 : Math.round((call.endedAt - call.answeredAt) / 1000);
  return { startedBy: call.startedBy, outcome: call.endReason, durationSeconds };
}
