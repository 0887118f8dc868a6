import { describe, expect, it } from 'vitest';
import { applyCallEvent, callLogOf, MAX_IN_CALL, beginCall, type Call, type CallEvent } from './call-state';

const T0 = Date.parse('2026-12-05T10:00:00Z');
const none = new Set<string>();

/** Applies the events in order; a refusal fails the story. */
function after(call: Call, ...events: CallEvent[]): Call {
  return events.reduce((current, event) => {
    const next = applyCallEvent(current, event);
    if (typeof next === 'string') throw new Error(`${event.type} refused: ${next}`);
    return next;
  }, call);
}

const states = (call: Call) => Object.fromEntries(call.participants.map((p) => [p.userId, p.state]));

describe('a call, from ringing to its log line', () => {
  it('Ada calls Sam, he answers, they talk two minutes, she hangs up: completed', () => {
    const ringing = beginCall('ada', ['sam'], none, T0);
    expect(ringing.state).toBe('ringing');
    expect(states(ringing)).toEqual({ ada: 'joined', sam: 'ringing' });
    const talking = after(ringing, { type: 'join', userId: 'sam', at: T0 + 5_000 });
    expect(talking).toMatchObject({ state: 'active', answeredAt: T0 + 5_000 });
    const done = after(talking, { type: 'leave', userId: 'ada', at: T0 + 125_000 });
    expect(done).toMatchObject({ state: 'ended', endReason: 'completed', endedAt: T0 + 125_000 });
    expect(states(done)).toEqual({ ada: 'left', sam: 'left' });
    expect(callLogOf(done)).toEqual({ startedBy: 'ada', outcome: 'completed', durationSeconds: 120 });
  });

  it('nobody answers in time: missed, and the log says so with no duration', () => {
    const done = after(beginCall('ada', ['sam'], none, T0), { type: 'ring_timeout', at: T0 + 30_000 });
    expect(done).toMatchObject({ state: 'ended', endReason: 'missed' });
    expect(states(done)).toEqual({ ada: 'left', sam: 'missed' });
    expect(callLogOf(done)).toEqual({ startedBy: 'ada', outcome: 'missed', durationSeconds: 0 });
  });

  it('Sam declines: the call ends at once for Ada too', () => {
    const done = after(beginCall('ada', ['sam'], none, T0), { type: 'decline', userId: 'sam', at: T0 + 2_000 });
    expect(done).toMatchObject({ state: 'ended', endReason: 'declined' });
  });

  it('Ada gives up before Sam answers: cancelled, and Sam stops ringing (missed)', () => {
    const done = after(beginCall('ada', ['sam'], none, T0), { type: 'leave', userId: 'ada', at: T0 + 4_000 });
    expect(done).toMatchObject({ state: 'ended', endReason: 'cancelled' });
    expect(states(done)).toEqual({ ada: 'left', sam: 'missed' });
  });

  it('Sam is in another call: he is busy, not rung, and a call to him alone ends there', () => {
    const done = beginCall('ada', ['sam'], new Set(['sam']), T0);
    expect(done).toMatchObject({ state: 'ended', endReason: 'declined' });
    expect(states(done)).toEqual({ ada: 'left', sam: 'busy' });
  });

  it(`a group call takes ${MAX_IN_CALL} people; the fifth is told it is full`, () => {
    const call = after(
      beginCall('ada', ['sam', 'kim', 'lee', 'max'], none, T0),
      { type: 'join', userId: 'sam', at: T0 + 1 },
      { type: 'join', userId: 'kim', at: T0 + 2 },
      { type: 'join', userId: 'lee', at: T0 + 3 },
    );
    expect(applyCallEvent(call, { type: 'join', userId: 'max', at: T0 + 4 })).toBe('full');
    // Once someone leaves, there is room again.
    const room = after(call, { type: 'leave', userId: 'kim', at: T0 + 5 }, { type: 'join', userId: 'max', at: T0 + 6 });
    expect(states(room)).toMatchObject({ kim: 'left', max: 'joined' });
  });

  it('a group call goes on while two talk, or while the last one waits for someone still ringing', () => {
    let call = after(
      beginCall('ada', ['sam', 'kim', 'lee'], none, T0),
      { type: 'join', userId: 'sam', at: T0 + 1_000 },
      { type: 'join', userId: 'kim', at: T0 + 2_000 },
      { type: 'leave', userId: 'ada', at: T0 + 10_000 },
    );
    expect(call.state).toBe('active');
    call = after(call, { type: 'leave', userId: 'sam', at: T0 + 20_000 });
    expect(call.state).toBe('active'); // Kim waits: Lee is still ringing
    call = after(call, { type: 'ring_timeout', at: T0 + 30_000 });
    expect(call).toMatchObject({ state: 'ended', endReason: 'completed' });
    expect(states(call)).toEqual({ ada: 'left', sam: 'left', kim: 'left', lee: 'missed' });
    expect(callLogOf(call)?.durationSeconds).toBe(29);
  });

  it('after a network blip, a person rejoins the call they dropped out of', () => {
    const call = after(
      beginCall('ada', ['sam', 'kim'], none, T0),
      { type: 'join', userId: 'sam', at: T0 + 1 },
      { type: 'join', userId: 'kim', at: T0 + 2 },
      { type: 'leave', userId: 'sam', at: T0 + 3 },
      { type: 'join', userId: 'sam', at: T0 + 4 },
    );
    expect(states(call)).toEqual({ ada: 'joined', sam: 'joined', kim: 'joined' });
    expect(call.answeredAt).toBe(T0 + 1);
  });

  it('answering again on a second device moves the call there (a new join time); hanging up twice changes nothing', () => {
    const talking = after(beginCall('ada', ['sam'], none, T0), { type: 'join', userId: 'sam', at: T0 + 1 });
    const moved = after(talking, { type: 'join', userId: 'sam', at: T0 + 2 });
    expect(moved).toEqual({
      ...talking,
      participants: [talking.participants[0], { userId: 'sam', state: 'joined', joinedAt: T0 + 2 }],
    });
    // Both devices in the same millisecond: the later one still gets a join time of its own.
    expect(after(moved, { type: 'join', userId: 'sam', at: T0 + 2 }).participants[1]!.joinedAt).toBe(T0 + 3);
    const done = after(talking, { type: 'leave', userId: 'sam', at: T0 + 3 });
    expect(applyCallEvent(done, { type: 'leave', userId: 'sam', at: T0 + 4 })).toBe('ended');
  });

  it('refuses what is not theirs to do: a stranger, a decline once answered, anything once ended', () => {
    const ringing = beginCall('ada', ['sam'], none, T0);
    expect(applyCallEvent(ringing, { type: 'join', userId: 'eve', at: T0 + 1 })).toBe('not_in_call');
    const talking = after(ringing, { type: 'join', userId: 'sam', at: T0 + 1 });
    expect(applyCallEvent(talking, { type: 'decline', userId: 'sam', at: T0 + 2 })).toBe('not_ringing');
    const done = after(talking, { type: 'leave', userId: 'ada', at: T0 + 3 });
    expect(applyCallEvent(done, { type: 'join', userId: 'ada', at: T0 + 4 })).toBe('ended');
    expect(callLogOf(ringing)).toBeNull();
  });
});
